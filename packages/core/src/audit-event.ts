import type { DelegationMethod } from './delegation.ts';
import type { DenialCode } from './errors.ts';

/**
 * One AGBAC audit record: who (agent and human, by IAM id), did what, to which resource, under which
 * delegation, with what decision and why. It carries IAM identifiers only: never an email, a name,
 * a raw prompt or a token.
 *
 * @example
 * ```ts
 * const sink: AuditSink = (event) => auditLog.write(JSON.stringify(event) + '\n');
 * ```
 */
export interface AuditEvent {
  /** Unique id of this event. */
  readonly id: string;
  /** ISO 8601 time of the decision. */
  readonly timestamp: string;
  /** Correlates this decision with the request (from `X-Request-Id`/`traceparent`, or generated). */
  readonly correlationId: string;
  /** The agent's IAM id (client id). */
  readonly agentId: string | undefined;
  /** The human's IAM user id. */
  readonly humanId: string | undefined;
  /** What was attempted, e.g. `GET` or `finance.reports.read`. */
  readonly action: string;
  /** What it was attempted on, e.g. `/finance/reports/Q4`. */
  readonly resource: string;
  /** AGBAC delegation type. */
  readonly delegationType: DelegationMethod | undefined;
  /** Delegation context: when granted, until when, the intent summary and the chain of actors. */
  readonly delegationContext: {
    readonly grantedAt?: number;
    readonly expiresAt?: number;
    readonly intentSummary?: string;
    readonly chain?: readonly string[];
  };
  readonly decision: 'allow' | 'deny';
  /** Why: `allowed`, or the failing condition in words (no personal data). */
  readonly reason: string;
  /** The denial code when `decision` is `deny`. */
  readonly denial?: DenialCode;
}

/**
 * Receives audit events. May be async; the enforcement point does not wait for slow sinks longer
 * than it must.
 *
 * @example
 * ```ts
 * const events: AuditEvent[] = [];
 * const sink: AuditSink = (event) => void events.push(event);
 * ```
 */
export type AuditSink = (event: AuditEvent) => void | Promise<void>;
