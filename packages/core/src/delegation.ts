import * as v from 'valibot';
import { describeIssues } from './internal/describe-issues.ts';

/**
 * How the human granted the delegation (AGBAC).
 *
 * @example
 * ```ts
 * const method: DelegationMethod = 'explicit';
 * ```
 */
export type DelegationMethod = 'explicit' | 'implicit' | 'system';

/**
 * The delegation methods AGBAC defines.
 *
 * @example
 * ```ts
 * if (!delegationMethods.includes(input)) throw new TypeError('unknown delegation method');
 * ```
 */
export const delegationMethods: readonly DelegationMethod[] = Object.freeze([
  'explicit',
  'implicit',
  'system',
]);

/**
 * Longest intent summary accepted: a summary, never a raw prompt.
 *
 * @example
 * ```ts
 * const intentSummary = summary.slice(0, MAXIMUM_INTENT_SUMMARY_LENGTH);
 * ```
 */
export const MAXIMUM_INTENT_SUMMARY_LENGTH = 512;

/**
 * The delegation context AGBAC attaches to a dual-subject token: how and when the human delegated,
 * and a short summary of the intent. Times are epoch seconds.
 *
 * @example
 * ```ts
 * const delegation: Delegation = {
 *   method: 'explicit',
 *   grantedAt: Math.floor(Date.now() / 1000),
 *   intentSummary: 'Summarise Q4 finance report',
 * };
 * ```
 */
export interface Delegation {
  readonly method: DelegationMethod;
  /** When the human granted it, epoch seconds. */
  readonly grantedAt: number;
  /** A short, human-readable summary of what the agent was asked to do. */
  readonly intentSummary?: string;
  /** When the delegation ends, epoch seconds; absent means it ends with the token. */
  readonly expiresAt?: number;
}

/**
 * The wire form of {@link Delegation} inside a token: AGBAC's `delegation` claim in snake case.
 *
 * @example
 * ```ts
 * const claim: DelegationClaim = { method: 'explicit', granted_at: 1_767_225_600, intent_summary: 'Summarise Q4' };
 * ```
 */
export interface DelegationClaim {
  readonly method: DelegationMethod;
  readonly granted_at: number;
  readonly intent_summary?: string;
  readonly expires_at?: number;
}

const epochSeconds = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(253_402_300_799));

/**
 * valibot schema of the `delegation` claim ({@link DelegationClaim}).
 *
 * @example
 * ```ts
 * const claim = v.parse(delegationClaimSchema, payload.delegation);
 * ```
 */
export const delegationClaimSchema = v.object({
  method: v.picklist(['explicit', 'implicit', 'system']),
  granted_at: epochSeconds,
  intent_summary: v.optional(
    v.pipe(v.string(), v.maxLength(MAXIMUM_INTENT_SUMMARY_LENGTH), v.regex(/^[^\p{Cc}]*$/u)),
  ),
  expires_at: v.optional(epochSeconds),
});

/**
 * Converts a {@link Delegation} to its claim form.
 *
 * @example
 * ```ts
 * assertionPayload.delegation = toDelegationClaim(delegation);
 * ```
 */
export function toDelegationClaim(delegation: Delegation): DelegationClaim {
  return {
    method: delegation.method,
    granted_at: delegation.grantedAt,
    ...(delegation.intentSummary === undefined ? {} : { intent_summary: delegation.intentSummary }),
    ...(delegation.expiresAt === undefined ? {} : { expires_at: delegation.expiresAt }),
  };
}

/**
 * Parses an untrusted `delegation` claim into a {@link Delegation}, or returns the problem.
 *
 * @example
 * ```ts
 * const result = parseDelegationClaim(payload.delegation);
 * if (!result.ok) deny('delegation_invalid', result.problem);
 * ```
 */
export function parseDelegationClaim(
  input: unknown,
): { ok: true; delegation: Delegation } | { ok: false; problem: string } {
  const result = v.safeParse(delegationClaimSchema, input);
  if (!result.success) {
    return { ok: false, problem: describeIssues(result.issues) };
  }
  const claim = result.output;
  return {
    ok: true,
    delegation: {
      method: claim.method,
      grantedAt: claim.granted_at,
      ...(claim.intent_summary === undefined ? {} : { intentSummary: claim.intent_summary }),
      ...(claim.expires_at === undefined ? {} : { expiresAt: claim.expires_at }),
    },
  };
}

/**
 * A delegation granted now, explicit by default.
 *
 * @example
 * ```ts
 * const delegation = createDelegation({ intentSummary: 'Draft the Q4 summary' });
 * ```
 */
export function createDelegation(
  options: { method?: DelegationMethod; intentSummary?: string; expiresAt?: number; now?: number } = {},
): Delegation {
  const grantedAt = Math.floor((options.now ?? Date.now()) / 1000);
  const result = parseDelegationClaim({
    method: options.method ?? 'explicit',
    granted_at: grantedAt,
    ...(options.intentSummary === undefined ? {} : { intent_summary: options.intentSummary }),
    ...(options.expiresAt === undefined ? {} : { expires_at: options.expiresAt }),
  });
  if (!result.ok) throw new TypeError(`createDelegation: ${result.problem}`);
  return result.delegation;
}
