import { invalid } from './deny.ts';
import type { JsonObject } from './json-object.ts';

/** The settings of {@link checkRegisteredClaims}. */
export interface RegisteredClaimRules {
  readonly issuers: ReadonlySet<string>;
  readonly audiences: ReadonlySet<string>;
  readonly skewSeconds: number;
  readonly maxLifetimeSeconds: number;
}

/**
 * Checks `iss` (exact string, no normalisation), `aud` (one of ours), `exp` (required, past only
 * beyond the skew), `iat` (required) and `nbf` (optional), neither in the future beyond the skew,
 * and the lifetime `exp - iat`. Returns `exp`.
 */
export function checkRegisteredClaims(
  payload: JsonObject,
  rules: RegisteredClaimRules,
  nowSeconds: number,
  label: string,
): number {
  const { iss, aud, exp, nbf, iat } = payload;
  if (typeof iss !== 'string' || !rules.issuers.has(iss)) invalid(`${label} issuer is not accepted`);
  if (typeof aud === 'string') {
    if (!rules.audiences.has(aud)) invalid(`${label} audience is not accepted`);
  } else if (
    !Array.isArray(aud) ||
    !aud.some((item) => typeof item === 'string' && rules.audiences.has(item))
  ) {
    invalid(`${label} audience is ${aud === undefined ? 'missing' : 'not accepted'}`);
  }
  if (typeof exp !== 'number') invalid(`${label} exp is ${exp === undefined ? 'missing' : 'not a number'}`);
  if (exp <= nowSeconds - rules.skewSeconds) invalid(`${label} has expired`);
  if (nbf !== undefined) {
    if (typeof nbf !== 'number') invalid(`${label} nbf is not a number`);
    if (nbf > nowSeconds + rules.skewSeconds) invalid(`${label} is not yet valid (nbf)`);
  }
  if (typeof iat !== 'number') invalid(`${label} iat is ${iat === undefined ? 'missing' : 'not a number'}`);
  if (iat > nowSeconds + rules.skewSeconds) invalid(`${label} was issued in the future (iat)`);
  if (exp - iat > rules.maxLifetimeSeconds) invalid(`${label} lifetime exceeds the maximum`);
  return exp;
}
