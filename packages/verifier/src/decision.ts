import type { Act, Delegation, DenialCode } from '@dual-auth/core';
import type { TokenClaims } from './vendor-profile.ts';

/**
 * The agent of a request: its IAM id (client id) and what its token grants it.
 *
 * @example
 * ```ts
 * if (decision.allow && decision.agent.scopes.includes('reports.read')) serve();
 * ```
 */
export interface VerifiedAgent {
  readonly id: string;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
}

/**
 * The human an agent acts for: IAM user id, roles when known (from a claim or the human
 * authorizer), and the display fields of `act`. Display fields are for the application's screens
 * only: the verifier never logs or audits them.
 *
 * @example
 * ```ts
 * if (decision.allow) greet(decision.human.act?.name ?? decision.human.id);
 * ```
 */
export interface VerifiedHuman {
  readonly id: string;
  readonly roles: readonly string[] | undefined;
  /** The human's `act` (display fields); not enumerable, kept out of JSON and `util.inspect`. */
  readonly act: Act | undefined;
}

/**
 * How the human of a request was checked: by the `humanAuthorizer`, by the route's required
 * `humanRoles`, or by trusting the IdP (`humanAuthorizedByIdp`).
 *
 * @example
 * ```ts
 * const check: HumanCheck | undefined = decision.subjects.human.checkedBy;
 * ```
 */
export type HumanCheck = 'authorizer' | 'roles' | 'idp';

/**
 * The outcome of one subject's check.
 *
 * @example
 * ```ts
 * if (!decision.subjects.human.ok) log.info('human denied', { reason: decision.subjects.human.reason });
 * ```
 */
export interface SubjectVerdict {
  readonly ok: boolean;
  /**
   * `authorized` (`authorized by the IdP (humanAuthorizedByIdp)` for the opt-in), or the failed
   * condition in words (no personal data).
   */
  readonly reason: string;
  /**
   * Human verdicts only: which check decided it. Set on an allowed human, and on a human refused by
   * a check (an unknown human, a missing role); absent when no check applied (`human_unchecked`),
   * the request failed before the human was judged, or the policy function refused.
   */
  readonly checkedBy?: HumanCheck;
}

/**
 * Each AGBAC condition, evaluated independently.
 *
 * @example
 * ```ts
 * const { agent, human, delegation } = decision.subjects;
 * ```
 */
export interface SubjectVerdicts {
  readonly agent: SubjectVerdict;
  readonly human: SubjectVerdict;
  readonly delegation: SubjectVerdict;
}

/**
 * The verifier allowed the request: agent AND human AND delegation are authorized.
 *
 * @example
 * ```ts
 * if (decision.allow) console.log(decision.agent.id, decision.human.id, decision.auditEventId);
 * ```
 */
export interface AllowDecision {
  readonly allow: true;
  readonly agent: VerifiedAgent;
  readonly human: VerifiedHuman;
  readonly delegation: Delegation | undefined;
  /** Actors from the most recent (the agent) back, in the RFC 8693 layout; `[agent]` otherwise. */
  readonly chain: readonly string[];
  /** The access token's verified claims (not enumerable: kept out of JSON and `util.inspect`). */
  readonly claims: TokenClaims;
  readonly subjects: SubjectVerdicts;
  readonly auditEventId: string;
}

/**
 * The verifier refused the request: `code` and `status` say how to answer, `subjects` which of
 * agent, human and delegation failed and why.
 *
 * @example
 * ```ts
 * if (!decision.allow) return new Response(null, { status: decision.status });
 * ```
 */
export interface DenyDecision {
  readonly allow: false;
  readonly code: DenialCode;
  /** The failed condition in words, safe to log (no token, email or name). */
  readonly reason: string;
  readonly status: 401 | 403 | 503;
  /** The agent, when the token was verified. */
  readonly agent?: VerifiedAgent;
  /** The human, when the token (and act assertion) were verified. */
  readonly human?: VerifiedHuman;
  readonly subjects: SubjectVerdicts;
  readonly auditEventId: string;
}

/**
 * What {@link Verifier.verify} decided for one request.
 *
 * @example
 * ```ts
 * const decision: Decision = await verifier.verify(request, { agentRoles: ['reports.read'] });
 * ```
 */
export type Decision = AllowDecision | DenyDecision;
