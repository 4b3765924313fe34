import type { VerifiedAgent } from '../../decision.ts';
import type { TokenClaims } from '../../vendor-profile.ts';
import { invalid } from '../deny.ts';
import { checkRegisteredClaims, verifyCompactJws } from '../jose-denials.ts';
import type { JsonObject } from '../json-object.ts';
import {
  agentIdOf,
  companionClaim,
  type NormalizedSubjects,
  normalizeAgbac,
  normalizeRfc8693,
} from '../layout.ts';
import type { ResolvedOptions } from './resolve-options.ts';
import { actTypes, normalizeTyp } from './token-type.ts';
import { createVerificationCache } from './verification-cache.ts';

/**
 * The missing-credentials reason: RFC 6750 answers it without an `error` attribute.
 *
 * @example
 * ```ts
 * if (!decision.allow && decision.reason === MISSING_TOKEN_REASON) challengeOnly();
 * ```
 */
export const MISSING_TOKEN_REASON = 'no bearer token';

/** An access token whose signature and claims passed, read in the configured layout. */
export interface VerifiedToken {
  /** The full `Authorization` value this verification is for. */
  readonly key: string;
  /** Agent, human and delegation; `undefined` in the hybrid layout, where the act assertion names them. */
  readonly subjects: NormalizedSubjects | undefined;
  readonly agent: VerifiedAgent;
  readonly claims: TokenClaims;
  readonly exp: number;
  readonly cachedUntil: number;
  /** The token's hash for an act assertion's `ath`, computed once when first needed. */
  ath: string | undefined;
}

/** Checks one access token: `authorization` is the whole header, `raw` the token in it. */
export type AccessTokenCheck = (
  authorization: string,
  raw: string,
  now: number,
) => VerifiedToken | Promise<VerifiedToken>;

/** Whether `authorization` is `Bearer ` (scheme in any case) and something after it. */
function hasBearerScheme(authorization: string): boolean {
  if (authorization.length < 8) return false;
  // The spelling every client sends, compared without building a lower-cased copy.
  if (authorization.startsWith('Bearer ')) return true;
  return authorization.slice(0, 7).toLowerCase() === 'bearer ';
}

/** The token of an `Authorization` header, or a `token_invalid` refusal naming what is wrong with it. */
export function bearerTokenOf(
  authorization: string | undefined,
  limits: Pick<ResolvedOptions, 'maxHeaderLength' | 'maxTokenLength'>,
): string {
  if (authorization === undefined || authorization === '') invalid(MISSING_TOKEN_REASON);
  if (authorization.length > limits.maxHeaderLength) invalid('authorization header is too large');
  if (!hasBearerScheme(authorization)) invalid('authorization is not a Bearer token');
  const raw = authorization.slice(7).trim();
  if (raw.length > limits.maxTokenLength) invalid('access token is too large');
  return raw;
}

/**
 * The access-token stage: signature, `typ`, registered claims, the vendor's own refusals, and the
 * layout's subjects, with verified tokens cached by their whole `Authorization` value.
 */
export function createAccessTokenCheck(resolved: ResolvedOptions): AccessTokenCheck {
  const { layout, profile, humanClaim, maxChainDepth, tokenTypes, tokenRules, audiences, clock } = resolved;
  const cacheAgeMs = resolved.cache.maxAgeMs;
  const cache = createVerificationCache<VerifiedToken>({
    ...resolved.cache,
    skewSeconds: resolved.clockSkewSeconds,
  });

  function complete(
    verified: { header: JsonObject; payload: JsonObject },
    key: string,
    now: number,
  ): VerifiedToken {
    const { header, payload } = verified;
    const typ = normalizeTyp(header.typ);
    if (typ === undefined || actTypes.has(typ)) invalid('access token typ is an act JWT or act assertion');
    if (!tokenTypes.has(typ)) invalid('access token typ is not accepted');
    const exp = checkRegisteredClaims(payload, tokenRules, Math.floor(now / 1000), 'access token');
    const rejected = profile.rejectPayload?.(payload);
    if (rejected !== undefined) invalid(`access token ${rejected}`);
    let subjects: NormalizedSubjects | undefined;
    let agentId: string;
    if (layout === 'agbac') {
      subjects = normalizeAgbac(payload, profile, humanClaim);
      agentId = subjects.agentId;
    } else if (layout === 'rfc8693') {
      subjects = normalizeRfc8693(payload, profile, maxChainDepth, resolved.onBehalfOfAgents);
      agentId = subjects.agentId;
    } else {
      agentId = agentIdOf(payload, profile);
      if (
        payload[humanClaim] !== undefined ||
        payload[companionClaim(humanClaim, 'delegation')] !== undefined ||
        payload.delegation !== undefined
      ) {
        invalid('access token carries a human where the hybrid layout expects a plain agent token');
      }
    }
    // The cached entry is shared by every request with this token: what it hands out is frozen.
    // `act` and `delegation` come frozen from layout.ts; the claims are frozen when first handed
    // out (the allow decision's `claims` getter, the policy's context), so a token whose claims
    // nobody reads costs nothing.
    if (subjects !== undefined) {
      Object.freeze(subjects.chain);
      Object.freeze(subjects);
    }
    const entry: VerifiedToken = {
      key,
      subjects,
      agent: Object.freeze({
        id: agentId,
        roles: Object.freeze(subjects?.agentRoles ?? profile.agentRoles(payload, audiences)),
        scopes: Object.freeze(profile.agentScopes(payload)),
      }),
      claims: payload,
      exp,
      cachedUntil: now + cacheAgeMs,
      ath: undefined,
    };
    cache.remember(entry);
    return entry;
  }

  return (authorization, raw, now) => {
    const cached = cache.fresh(authorization, now);
    if (cached !== undefined) return cached;
    const verified = verifyCompactJws(raw, resolved.tokenKeys, resolved.algorithms, 'access token');
    if (verified instanceof Promise)
      return verified.then((result) => complete(result, authorization, clock()));
    return complete(verified, authorization, now);
  };
}
