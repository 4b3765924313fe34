import { ACT_ASSERTION_TYPE, ACT_JWT_TYPE } from '@dual-auth/core';

let lastTyp: string | undefined;
let lastNormalizedTyp = '';

/**
 * A JOSE `typ` in lower case without `application/`; `''` when absent, `undefined` when it is not
 * a string.
 */
export function normalizeTyp(value: unknown): string | undefined {
  if (value === undefined) return '';
  if (typeof value !== 'string') return undefined;
  // An IdP's tokens share one header, so one `typ` string: normalized once, not on every token.
  if (value === lastTyp) return lastNormalizedTyp;
  const lower = value.toLowerCase();
  lastNormalizedTyp = lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
  lastTyp = value;
  return lastNormalizedTyp;
}

/** The act assertion's `typ`, normalized. */
export const actAssertionTyp = normalizeTyp(ACT_ASSERTION_TYPE) as string;

/** The `typ`s of act JWTs and act assertions, which an access token may never carry. */
export const actTypes: ReadonlySet<string | undefined> = new Set([
  normalizeTyp(ACT_JWT_TYPE),
  actAssertionTyp,
]);
