import type { JsonObject } from './compact-jws.ts';
import { type JoseFailure, joseFailure } from './jose-failure.ts';

/**
 * The settings of {@link checkRegisteredClaims}.
 *
 * @example
 * ```ts
 * const rules: RegisteredClaimRules = { issuers: new Set([issuer]), audiences: new Set([audience]), skewSeconds: 30, maxLifetimeSeconds: 86_400 };
 * ```
 */
export interface RegisteredClaimRules {
  readonly issuers: ReadonlySet<string>;
  readonly audiences: ReadonlySet<string>;
  readonly skewSeconds: number;
  readonly maxLifetimeSeconds: number;
  /** One spelling for an audience before it is looked up (e.g. URL normalisation); none by default. */
  readonly audienceSpelling?: (audience: string) => string;
}

/** Most `aud` entries looked at; a longer array cannot make the check slow. */
const maximumAudiences = 10;

const wrongIssuer = joseFailure('wrong_issuer', 'issuer is not accepted');
const wrongAudience = joseFailure('wrong_audience', 'audience is not accepted');
const missingAudience = joseFailure('wrong_audience', 'audience is missing');
const expired = joseFailure('expired', 'has expired');
const tooLong = joseFailure('lifetime_too_long', 'lifetime exceeds the maximum');

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function claimFailure(name: string, value: unknown): JoseFailure {
  return joseFailure('missing_claim', `${name} is ${value === undefined ? 'missing' : 'not a number'}`);
}

function audienceAccepted(aud: unknown, rules: RegisteredClaimRules): boolean {
  const spell = rules.audienceSpelling;
  if (typeof aud === 'string') return rules.audiences.has(spell === undefined ? aud : spell(aud));
  if (!Array.isArray(aud)) return false;
  const count = Math.min(aud.length, maximumAudiences);
  for (let index = 0; index < count; index++) {
    const item: unknown = aud[index];
    if (typeof item === 'string' && rules.audiences.has(spell === undefined ? item : spell(item)))
      return true;
  }
  return false;
}

/**
 * Checks `iss` (exact string, no normalisation), `aud` (one of ours), `exp` (required, past only
 * beyond the skew), `nbf` (optional) and `iat` (required), neither in the future beyond the skew,
 * and the lifetime `exp - iat`. Returns `exp`, or the failure naming the first claim refused.
 *
 * @example
 * ```ts
 * const exp = checkRegisteredClaims(payload, rules, Date.now() / 1000);
 * if (typeof exp !== 'number') throw new Error(`access token ${exp.detail}`);
 * ```
 */
export function checkRegisteredClaims(
  payload: JsonObject,
  rules: RegisteredClaimRules,
  nowSeconds: number,
): number | JoseFailure {
  const { iss, aud, exp, nbf, iat } = payload;
  if (typeof iss !== 'string' || !rules.issuers.has(iss)) return wrongIssuer;
  if (!audienceAccepted(aud, rules)) return aud === undefined ? missingAudience : wrongAudience;
  if (!isNumber(exp)) return claimFailure('exp', exp);
  if (exp <= nowSeconds - rules.skewSeconds) return expired;
  if (nbf !== undefined) {
    if (!isNumber(nbf)) return claimFailure('nbf', nbf);
    if (nbf > nowSeconds + rules.skewSeconds) return joseFailure('not_yet_valid', 'is not yet valid (nbf)');
  }
  if (!isNumber(iat)) return claimFailure('iat', iat);
  if (iat > nowSeconds + rules.skewSeconds)
    return joseFailure('issued_in_future', 'was issued in the future (iat)');
  if (exp - iat > rules.maxLifetimeSeconds) return tooLong;
  return exp;
}
