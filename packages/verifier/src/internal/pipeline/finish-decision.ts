import type { Delegation, Logger } from '@dual-auth/core';
import type { Decision, DenyDecision, VerifiedAgent, VerifiedHuman } from '../../decision.ts';
import type { TokenClaims } from '../../vendor-profile.ts';
import { AllowRecord } from '../private-fields.ts';
import type { RequestCredentials } from '../request-credentials.ts';
import type { AuditedTarget, AuditTrail } from './audit.ts';
import type { Judgement } from './judge.ts';

/** A request whose token (and act assertion) passed, with what the decision reports of it. */
export interface JudgedRequest {
  readonly agent: VerifiedAgent;
  readonly human: VerifiedHuman;
  readonly delegation: Delegation | undefined;
  readonly chain: readonly string[];
  readonly claims: TokenClaims;
}

/**
 * The decision for a judged request: allowed when the judgement has no denial, else denied (403)
 * for the first subject that failed. Either way it is audited once.
 */
export function finishDecision(
  request: JudgedRequest,
  judgement: Judgement,
  credentials: RequestCredentials,
  target: AuditedTarget,
  now: number,
  stages: { readonly audit: AuditTrail; readonly logger: Logger },
): Decision {
  const { subjects, denial } = judgement;
  const auditEventId = stages.audit(credentials, now, target, request, denial);
  if (denial === undefined) return new AllowRecord(request, subjects, auditEventId);
  const { code, reason } = denial;
  stages.logger.debug('request denied', { code, reason });
  const decision: DenyDecision = {
    allow: false,
    code,
    reason,
    status: 403,
    agent: request.agent,
    human: request.human,
    subjects,
    auditEventId,
  };
  return decision;
}
