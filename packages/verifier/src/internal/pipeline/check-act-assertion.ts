import {
  ACT_ASSERTION_HEADER,
  AGBAC_VERSION,
  accessTokenHash,
  MAXIMUM_ACT_JWT_LENGTH,
} from '@dual-auth/core';
import { nodeCrypto } from '@dual-auth/core/jose';
import type { TokenClaims } from '../../vendor-profile.ts';
import { invalid } from '../deny.ts';
import { checkRegisteredClaims, verifyCompactJws } from '../jose-denials.ts';
import type { JsonObject } from '../json-object.ts';
import { type DelegationResult, type NormalizedSubjects, readDelegation, readHumanAct } from '../layout.ts';
import type { VerifiedToken } from './check-access-token.ts';
import { andThen } from './maybe-async.ts';
import type { AssertionSettings, ResolvedOptions } from './resolve-options.ts';
import { actAssertionTyp, normalizeTyp } from './token-type.ts';
import { createVerificationCache } from './verification-cache.ts';

/** An act assertion whose signature and claims passed, not yet matched to its access token. */
interface VerifiedAssertion {
  /** The full act assertion this verification is for. */
  readonly key: string;
  readonly act: NonNullable<NormalizedSubjects['act']>;
  readonly source: TokenClaims;
  readonly delegation: DelegationResult | undefined;
  readonly clientId: string;
  readonly ath: string;
  readonly exp: number;
  readonly cachedUntil: number;
}

/**
 * Reads the hybrid layout's subjects: the agent from the verified access token, the human and
 * delegation from the `X-Act-Assertion` header value, which must be bound to that very token.
 */
export type ActAssertionCheck = (
  token: VerifiedToken,
  raw: string,
  assertion: string | undefined,
  now: number,
) => NormalizedSubjects | Promise<NormalizedSubjects>;

/** The access token's hash as an act assertion's `ath` carries it, remembered on the token. */
function hashOf(token: VerifiedToken, raw: string): string | Promise<string> {
  if (token.ath !== undefined) return token.ath;
  if (nodeCrypto !== undefined) {
    token.ath = nodeCrypto.createHash('sha256').update(raw).digest('base64url');
    return token.ath;
  }
  return accessTokenHash(raw).then((ath) => {
    token.ath = ath;
    return ath;
  });
}

/**
 * The act-assertion stage (hybrid layout): signature, `typ`, registered claims, `jti`,
 * `agbac_ver`, the human in `act`, and the binding to the access token (`ath`, `client_id`).
 * Every refusal concerns the human; verified assertions are cached by their full text.
 */
export function createActAssertionCheck(
  resolved: ResolvedOptions & { readonly assertion: AssertionSettings },
): ActAssertionCheck {
  const { assertion: settings, algorithms, maxHeaderLength, clock } = resolved;
  const cacheAgeMs = resolved.cache.maxAgeMs;
  const cache = createVerificationCache<VerifiedAssertion>({
    ...resolved.cache,
    skewSeconds: resolved.clockSkewSeconds,
  });

  function complete(
    verified: { header: JsonObject; payload: JsonObject },
    assertion: string,
    now: number,
  ): VerifiedAssertion {
    const { header, payload } = verified;
    if (normalizeTyp(header.typ) !== actAssertionTyp)
      invalid('act assertion typ is not act-assertion+jwt', 'human');
    const exp = checkRegisteredClaims(payload, settings.rules, Math.floor(now / 1000), 'act assertion');
    if (typeof payload.jti !== 'string' || payload.jti.length === 0)
      invalid('act assertion has no jti', 'human');
    if (payload.agbac_ver !== AGBAC_VERSION)
      invalid(`act assertion agbac_ver is not ${AGBAC_VERSION}`, 'human');
    if (typeof payload.client_id !== 'string' || typeof payload.ath !== 'string') {
      invalid('act assertion is not bound to a token (client_id and ath required)', 'human');
    }
    const { act, source } = readHumanAct(payload.act, 'act assertion');
    const entry: VerifiedAssertion = {
      key: assertion,
      act,
      source,
      delegation: readDelegation(payload.delegation),
      clientId: payload.client_id,
      ath: payload.ath,
      exp,
      cachedUntil: now + cacheAgeMs,
    };
    cache.remember(entry);
    return entry;
  }

  function verifyAssertion(assertion: string, now: number): VerifiedAssertion | Promise<VerifiedAssertion> {
    const cached = cache.fresh(assertion, now);
    if (cached !== undefined) return cached;
    if (assertion.length > MAXIMUM_ACT_JWT_LENGTH) invalid('act assertion is too large', 'human');
    const verified = verifyCompactJws(assertion, settings.keys, algorithms, 'act assertion');
    if (verified instanceof Promise) return verified.then((result) => complete(result, assertion, clock()));
    return complete(verified, assertion, now);
  }

  return (token, raw, assertion, now) => {
    if (assertion === undefined || assertion === '')
      invalid(`no act assertion (${ACT_ASSERTION_HEADER} header)`, 'human');
    if (assertion.length > maxHeaderLength) invalid('act assertion header is too large', 'human');
    return andThen(verifyAssertion(assertion.trim(), now), (verified) =>
      andThen(hashOf(token, raw), (ath): NormalizedSubjects => {
        if (verified.ath !== ath) invalid('act assertion is bound to another access token (ath)', 'human');
        if (verified.clientId !== token.agent.id)
          invalid('act assertion is bound to another agent (client_id)', 'human');
        if (verified.act.sub === token.agent.id)
          invalid('act assertion names the agent as the human', 'human');
        return {
          agentId: token.agent.id,
          humanId: verified.act.sub,
          act: verified.act,
          humanSource: verified.source,
          delegation: verified.delegation,
          chain: [token.agent.id],
        };
      }),
    );
  };
}
