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
  parseStrictJsonObject,
  ReplayError,
  type ReplayStore,
} from '@dual-auth/core';
import type { VerifiedActJwt } from '../verified-act-jwt.ts';
import { base64UrlDecode } from './base64url.ts';
import type { KeySource } from './key-source.ts';

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

const MAXIMUM_KID_LENGTH = 256;
const MAXIMUM_JTI_LENGTH = 256;
const MAXIMUM_AUDIENCES = 10;
// Headers that point at keys or change how the JWS is processed: never followed, so refused.
const refusedHeaders = ['jku', 'x5u', 'jwk', 'x5c', 'crit', 'b64', 'zip', 'enc'] as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

const refuse = (reason: ActVerificationFailure, message: string, cause?: unknown): ActVerificationError =>
  new ActVerificationError(reason, `act JWT refused: ${message}`, cause === undefined ? {} : { cause });

// Strict parsing: a header or payload with duplicate member names (`"sub"` twice, or once as
// `"\u0073ub"`) reads differently in other JSON parsers, so it is refused rather than resolved.
function decodeJsonObject(segment: string): Readonly<Record<string, unknown>> | undefined {
  const bytes = base64UrlDecode(segment);
  if (bytes === undefined) return undefined;
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return undefined;
  }
  return parseStrictJsonObject(text);
}

function normalizedType(typ: unknown): string | undefined {
  if (typeof typ !== 'string') return undefined;
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Verifies an out-of-session act JWT and records its `jti`. Order matters: size, structure and
 * header first (cheap, and nothing from an unverified payload is read), then the key and the
 * signature, then the claims, and the replay store last so a refused JWT never takes a slot.
 */
export async function verifyActJwt(actJwt: unknown, policy: ActJwtPolicy): Promise<VerifiedActJwt> {
  if (typeof actJwt !== 'string') throw refuse('malformed', 'not a string');
  if (actJwt.length > MAXIMUM_ACT_JWT_LENGTH) {
    throw refuse('too_large', `longer than ${MAXIMUM_ACT_JWT_LENGTH} characters`);
  }
  const segments = actJwt.split('.');
  if (segments.length !== 3) throw refuse('malformed', 'a compact JWS has exactly three segments');
  const [encodedHeader = '', encodedPayload = '', encodedSignature = ''] = segments;
  if (encodedHeader === '' || encodedPayload === '') throw refuse('malformed', 'empty segment');
  const header = decodeJsonObject(encodedHeader);
  if (header === undefined) throw refuse('malformed', 'header is not base64url-encoded JSON object');

  const { alg } = header;
  if (typeof alg !== 'string') throw refuse('malformed', 'header has no alg');
  if (!policy.allowedAlgorithms.includes(alg)) throw refuse('algorithm_not_allowed', 'alg is not allowed');
  for (const name of refusedHeaders) {
    if (Object.hasOwn(header, name)) throw refuse('malformed', `header parameter ${name} is not accepted`);
  }
  const typ = normalizedType(header.typ);
  // PyJWT, which the Python reference signs with, always writes `typ: JWT`.
  const pythonReferenceForm = policy.acceptPythonReferenceActJwt === true && typ === 'jwt';
  const typeAccepted =
    typ === ACT_JWT_TYPE ||
    pythonReferenceForm ||
    (policy.acceptUntypedActJwt && (header.typ === undefined || typ === 'jwt'));
  if (!typeAccepted) throw refuse('type_invalid', `typ must be ${ACT_JWT_TYPE}`);
  const { kid } = header;
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0 || kid.length > MAXIMUM_KID_LENGTH)) {
    throw refuse('malformed', 'kid must be a short string');
  }

  let keys: Awaited<ReturnType<KeySource['keysFor']>>;
  try {
    keys = await policy.keySource.keysFor(kid);
  } catch (error) {
    throw refuse('key_not_found', 'the application keys are unavailable', error);
  }
  if (keys.length === 0) throw refuse('key_not_found', 'no application key matches the JWT');
  const candidates = keys.filter((key) => key.algorithms.includes(alg));
  if (candidates.length === 0) throw refuse('algorithm_not_allowed', 'alg does not match the key type');

  const signature = base64UrlDecode(encodedSignature);
  if (signature === undefined || signature.length === 0)
    throw refuse('malformed', 'signature is not base64url');
  const signingInput = encoder.encode(`${encodedHeader}.${encodedPayload}`);
  let signed = false;
  for (const key of candidates) {
    if (await key.verify(alg, signingInput, signature)) {
      signed = true;
      break;
    }
  }
  if (!signed) throw refuse('signature_invalid', 'signature does not verify');

  const claims = decodeJsonObject(encodedPayload);
  if (claims === undefined) throw refuse('malformed', 'payload is not a base64url-encoded JSON object');
  return checkClaims(claims, policy, pythonReferenceForm);
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
  const { iss, aud, exp, nbf, iat, jti, sub } = claims;
  if (iss !== policy.expectedIssuer) throw refuse('issuer_invalid', 'iss is not the expected application');
  const audiences = Array.isArray(aud) ? aud.slice(0, MAXIMUM_AUDIENCES) : [aud];
  const expectedAudience = sameEndpoint(policy.expectedAudience);
  if (
    !audiences.some((audience) => typeof audience === 'string' && sameEndpoint(audience) === expectedAudience)
  ) {
    throw refuse('audience_invalid', 'aud is not this agent endpoint');
  }
  if (!isNumber(exp)) throw refuse('malformed', 'exp claim is missing');
  if (!isNumber(iat)) throw refuse('malformed', 'iat claim is missing');
  if (nbf !== undefined && !isNumber(nbf)) throw refuse('malformed', 'nbf claim is not a number');
  const now = policy.clock() / 1000;
  const skew = policy.clockSkewSeconds;
  if (exp <= now - skew) throw refuse('expired', 'exp has passed');
  if (iat > now + skew) throw refuse('not_yet_valid', 'iat is in the future');
  if (nbf !== undefined && nbf > now + skew) throw refuse('not_yet_valid', 'nbf is in the future');
  if (exp - iat > policy.maxLifetimeSeconds || exp - now > policy.maxLifetimeSeconds + skew) {
    throw refuse('lifetime_too_long', `lifetime exceeds ${policy.maxLifetimeSeconds} seconds`);
  }
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
