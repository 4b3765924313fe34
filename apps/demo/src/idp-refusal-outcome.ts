import type { TokenRequestError } from '@dual-auth/core';
import type { AuditSource, AuditTrail } from './audit-trail.ts';
import { classifyIdpRefusal } from './run-finance-task.ts';
import type { FailedCondition, TaskOutcome } from './task-outcome.ts';

/** Who asked the IdP, for whom, and where the refusal is recorded. */
export interface IdpRefusalContext {
  readonly trail: AuditTrail;
  readonly source: AuditSource;
  readonly correlationId: string;
  readonly vendor: string;
  readonly agentId: string;
  readonly humanId: string;
  /** What the IdP refused: `token` (a token request) or `token exchange`. */
  readonly refused?: 'token' | 'token exchange';
  /** The condition, when the caller knows it better than the error text tells. */
  readonly failed?: FailedCondition | undefined;
  readonly delegationType?: Parameters<AuditTrail['recordRefusal']>[1]['delegationType'];
}

/**
 * The outcome of a token request the IdP refused, recorded in the audit trail (the IdP writes no
 * AGBAC audit event): stopped at the IdP, the condition its error names, its OAuth error as code.
 */
export function idpRefusalOutcome(
  error: TokenRequestError,
  context: IdpRefusalContext,
): TaskOutcome & { auditEventId: string } {
  const failed = context.failed ?? classifyIdpRefusal(error);
  const what =
    context.refused === 'token exchange'
      ? 'IdP refused the token exchange'
      : 'IdP pre-approval refused the token';
  // The vendor's own code (AADSTS65001, no_matching_policy…) says which of its rules refused.
  const vendorCode = error.vendorCode === undefined ? '' : ` ${error.vendorCode}`;
  const reason = `${what} (${error.oauthError ?? 'error'}${vendorCode}, HTTP ${error.status ?? '-'})${failed ? `: ${failed} not approved` : ''}`;
  return {
    decision: 'DENY',
    stoppedAt: 'idp',
    failed,
    code: error.oauthError ?? 'token_request_failed',
    httpStatus: error.status,
    reason,
    correlationId: context.correlationId,
    auditEventId: context.trail.recordRefusal(context.source, {
      correlationId: context.correlationId,
      agentId: context.agentId,
      humanId: context.humanId,
      action: 'token.request',
      resource: context.vendor,
      reason,
      denial:
        failed === 'human' ? 'human_denied' : failed === 'delegation' ? 'delegation_invalid' : 'agent_denied',
      delegationType: context.delegationType,
    }),
  };
}
