import {
  ACT_JWT_TYPE,
  ActVerificationError,
  type ActVerificationFailure,
  AGBAC_VERSION,
  type Clock,
  type Delegation,
  isDualAuthError,
  MAXIMUM_ACT_JWT_LENGTH,
  parseAct,
  parseDelegationClaim,
  ReplayError,
  type ReplayStore,
} from '@dual-auth/core';
import {
  checkRegisteredClaims,
  type JoseFailure,
  type JoseFailureReason,
  type JwsAlgorithm,
  type KeySource,
  parseCompactJws,
  verifyParsedJws,
} from '@dual-auth/core/jose';
import type { VerifiedActJwt } from '../verified-act-jwt.ts';

/** Everything {@link verifyActJwt} checks against. */
export interface ActJwtPolicy {
  readonly keySource: KeySource;
  readonly expectedIssuer: string;
  readonly expectedAudience: string;
  readonly allowedAlgorithms: readonly string[];
  readonly clock: Clock;
  readonly clockSkewSeconds: number;
  readonly maxLifetimeSeconds: number;
  readonly acceptUntypedActJwt: boolean;
  /** The Python reference's form: `typ: JWT` with `sub` = `iss` (see `OutOfSessionTokenRequestOptions`). */
  readonly acceptPythonReferenceActJwt?: boolean;
  readonly replayStore: ReplayStore;
}

const MAXIMUM_JTI_LENGTH = 256;

const refuse = (reason: ActVerificationFailure, message: string, cause?: unknown): ActVerificationError =>
  new ActVerificationError(reason, `act JWT refused: ${message}`, cause === undefined ? {} : { cause });

// The JOSE layer's reason codes as the client's `ActVerificationError` reasons, with the wording
// the client has always used where the layer's own detail would read differently.
const failureReasons: Readonly<Record<JoseFailureReason, ActVerificationFailure>> = {
  malformed: 'malformed',
  header_not_accepted: 'malformed',
  missing_claim: 'malformed',
  alg_not_allowed: 'algorithm_not_allowed',
  key_alg_mismatch: 'algorithm_not_allowed',
  unknown_kid: 'key_not_found',
  jwks_unavailable: 'key_not_found',
  bad_signature: 'signature_invalid',
  wrong_issuer: 'issuer_invalid',
  wrong_audience: 'audience_invalid',
  expired: 'expired',
  not_yet_valid: 'not_yet_valid',
  issued_in_future: 'not_yet_valid',
  lifetime_too_long: 'lifetime_too_long',
};
const failureMessages: Partial<Record<JoseFailureReason, string>> = {
  alg_not_allowed: 'alg is not allowed',
  key_alg_mismatch: 'alg does not match the key type',
  unknown_kid: 'no application key matches the JWT',
  jwks_unavailable: 'the application keys are unavailable',
  bad_signature: 'signature does not verify',
  wrong_issuer: 'iss is not the expected application',
  wrong_audience: 'aud is not this agent endpoint',
  expired: 'exp has passed',
  not_yet_valid: 'nbf is in the future',
  issued_in_future: 'iat is in the future',
};

function refusal(failure: JoseFailure, policy: ActJwtPolicy): ActVerificationError {
  const message =
    failure.reason === 'lifetime_too_long'
      ? `lifetime exceeds ${policy.maxLifetimeSeconds} seconds`
      : (failureMessages[failure.reason] ?? failure.detail);
  return refuse(failureReasons[failure.reason], message);
}

const algorithmSets = new WeakMap<readonly string[], ReadonlySet<JwsAlgorithm>>();

function algorithmSet(algorithms: readonly string[]): ReadonlySet<JwsAlgorithm> {
  let set = algorithmSets.get(algorithms);
  if (set === undefined) {
    set = new Set(algorithms as readonly JwsAlgorithm[]);
    algorithmSets.set(algorithms, set);
  }
  return set;
}

function normalizedType(typ: unknown): string | undefined {
  if (typeof typ !== 'string') return undefined;
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

/**
 * Verifies an out-of-session act JWT and records its `jti`. Order matters: size, structure and
 * header first (cheap, and nothing from an unverified payload is read), then the key and the
 * signature, then the claims, and the replay store last so a refused JWT never takes a slot.
 * The JOSE checks are the shared layer's (`@dual-auth/core/jose`); its reason codes become
 * `ActVerificationError` reasons here.
 */
export async function verifyActJwt(actJwt: unknown, policy: ActJwtPolicy): Promise<VerifiedActJwt> {
  if (typeof actJwt !== 'string') throw refuse('malformed', 'not a string');
  if (actJwt.length > MAXIMUM_ACT_JWT_LENGTH) {
    throw refuse('too_large', `longer than ${MAXIMUM_ACT_JWT_LENGTH} characters`);
  }
  const parsed = parseCompactJws(actJwt, algorithmSet(policy.allowedAlgorithms));
  if (!parsed.ok) throw refusal(parsed, policy);
  const { header } = parsed;
  const typ = normalizedType(header.typ);
  // PyJWT, which the Python reference signs with, always writes `typ: JWT`.
  const pythonReferenceForm = policy.acceptPythonReferenceActJwt === true && typ === 'jwt';
  const typeAccepted =
    typ === ACT_JWT_TYPE ||
    pythonReferenceForm ||
    (policy.acceptUntypedActJwt && (header.typ === undefined || typ === 'jwt'));
  if (!typeAccepted) throw refuse('type_invalid', `typ must be ${ACT_JWT_TYPE}`);

  const verified = await verifyParsedJws(parsed, policy.keySource);
  if (!verified.ok) throw refusal(verified, policy);
  return checkClaims(verified.payload, policy, pythonReferenceForm);
}

/**
 * An endpoint URL in one spelling: the sender signs `new URL(AGENT_ENDPOINT).href`, a Python
 * application the raw setting (`https://agent.example.com`), and the agent may be configured with
 * either; host case, a default port and an empty path do not make another endpoint.
 */
function sameEndpoint(value: string): string {
  return URL.canParse(value) ? new URL(value).href : value;
}

async function checkClaims(
  claims: Readonly<Record<string, unknown>>,
  policy: ActJwtPolicy,
  pythonReferenceForm: boolean,
): Promise<VerifiedActJwt> {
  const { iss, jti, sub } = claims;
  const now = policy.clock() / 1000;
  const skew = policy.clockSkewSeconds;
  const exp = checkRegisteredClaims(
    claims,
    {
      issuers: new Set([policy.expectedIssuer]),
      audiences: new Set([sameEndpoint(policy.expectedAudience)]),
      audienceSpelling: sameEndpoint,
      skewSeconds: skew,
      maxLifetimeSeconds: policy.maxLifetimeSeconds,
    },
    now,
  );
  if (typeof exp !== 'number') throw refusal(exp, policy);
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAXIMUM_JTI_LENGTH) {
    throw refuse('jti_missing', 'jti claim is missing or too long');
  }
  if (claims.act === undefined) throw refuse('act_invalid', 'act claim is missing');
  const parsedAct = parseAct(claims.act);
  if (!parsedAct.ok) throw refuse('act_invalid', `act ${parsedAct.problem}`);
  // The Python reference hard-codes `sub` = `iss` = "application" (hybrid_sender.py, lines 315-323):
  // the human is only in `act`. Any other `sub` could be read as a second human, so it is refused.
  const subjectAccepted =
    sub === undefined || sub === parsedAct.act.sub || (pythonReferenceForm && sub === iss);
  if (!subjectAccepted) {
    throw refuse(
      'act_invalid',
      pythonReferenceForm ? 'sub is neither act.sub nor iss' : 'sub differs from act.sub',
    );
  }
  let delegation: Delegation | undefined;
  if (claims.delegation !== undefined) {
    const parsedDelegation = parseDelegationClaim(claims.delegation);
    if (!parsedDelegation.ok) throw refuse('act_invalid', `delegation ${parsedDelegation.problem}`);
    delegation = parsedDelegation.delegation;
    // The same rule as the verifier's: a delegation that has ended cannot start a token request.
    if (delegation.expiresAt !== undefined && delegation.expiresAt <= now - skew) {
      throw refuse('expired', 'delegation has expired');
    }
  }
  if (claims.agbac_ver !== undefined && claims.agbac_ver !== AGBAC_VERSION) {
    throw refuse('act_invalid', `agbac_ver must be ${AGBAC_VERSION}`);
  }

  // Remembered until the JWT could no longer pass the exp check, skew included.
  await recordOnce(policy.replayStore, `act-jwt:${policy.expectedIssuer}#${jti}`, (exp + skew) * 1000);
  return Object.freeze({
    act: parsedAct.act,
    delegation,
    jti,
    issuer: policy.expectedIssuer,
    expiresAt: exp * 1000,
  });
}

async function recordOnce(store: ReplayStore, id: string, expiresAt: number): Promise<void> {
  let firstUse: boolean;
  try {
    firstUse = await store.useOnce(id, expiresAt);
  } catch (error) {
    if (isDualAuthError(error, 'ERR_REPLAY')) throw error;
    throw new ReplayError('store_unavailable', 'replay store failed; act JWT refused', { cause: error });
  }
  if (!firstUse) throw new ReplayError('replayed', 'act JWT was already used');
}
