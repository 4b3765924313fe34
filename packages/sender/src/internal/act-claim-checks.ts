import {
  ACT_JWT_LIFETIME_SECONDS,
  type CheckedAct,
  type Clock,
  createDelegation,
  type Delegation,
  type DelegationClaim,
  parseAct,
  parseDelegationClaim,
  toDelegationClaim,
} from '@dual-auth/core';

/** A non-empty identifier without control characters, at most 1024 long (`appId`, `agentId`, `aud`). */
export const printableIdentifier = /^[^\p{Cc}]{1,1024}$/u;

/**
 * The checked `act` of a caller's input; a `TypeError` naming `method` when it is not one. An act
 * from `extractActFromSession` (or any `parseAct` result) is returned at once, not validated again.
 */
export function checkAct(act: unknown, method: string): CheckedAct {
  const result = parseAct(act);
  if (!result.ok) throw new TypeError(`${method}: act ${result.problem}`);
  return result.act;
}

/** A lifetime within the act JWT bounds (10–300 seconds); a `TypeError` naming `method` otherwise. */
export function checkTtl(ttlSeconds: unknown, method: string): number {
  const { minimum, maximum } = ACT_JWT_LIFETIME_SECONDS;
  if (
    typeof ttlSeconds !== 'number' ||
    !Number.isInteger(ttlSeconds) ||
    ttlSeconds < minimum ||
    ttlSeconds > maximum
  ) {
    throw new TypeError(
      `${method}: ttlSeconds must be a whole number of seconds from ${minimum} to ${maximum}`,
    );
  }
  return ttlSeconds;
}

/** Refuses what is not a printable identifier without surrounding spaces. */
export function checkText(value: unknown, what: string): void {
  if (typeof value !== 'string' || !printableIdentifier.test(value) || value.trim() !== value) {
    throw new TypeError(`${what} must be a non-empty printable string`);
  }
}

/** The `delegation` claim of a delegation (default: explicit, granted now), checked as a verifier would. */
export function checkDelegation(
  delegation: Delegation | undefined,
  method: string,
  clock: Clock,
): DelegationClaim {
  const chosen = delegation ?? createDelegation({ now: clock() });
  if (typeof chosen !== 'object' || chosen === null)
    throw new TypeError(`${method}: delegation must be an object`);
  const claim = toDelegationClaim(chosen);
  const result = parseDelegationClaim(claim);
  if (!result.ok) throw new TypeError(`${method}: delegation ${result.problem}`);
  return claim;
}
