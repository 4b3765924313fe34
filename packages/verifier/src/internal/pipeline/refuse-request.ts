import type { Logger } from '@dual-auth/core';
import type { DenyDecision, SubjectVerdicts } from '../../decision.ts';
import type { VerifyRequirements } from '../../verifier-options.ts';
import { Denial } from '../deny.ts';
import type { RequestCredentials } from '../request-credentials.ts';
import type { AuditTrail } from './audit.ts';
import { authorized, refused } from './verdicts.ts';

/**
 * The decision for a request refused before it could be judged (a bad token or act assertion, an
 * unavailable human authorizer), audited once. `error` is a {@link Denial}; anything else is an
 * unexpected failure, logged by its name and answered as `token_invalid`.
 */
export function refuseRequest(
  error: unknown,
  credentials: RequestCredentials,
  requirements: VerifyRequirements,
  now: number,
  stages: { readonly audit: AuditTrail; readonly logger: Logger },
): DenyDecision {
  const { logger } = stages;
  const denial =
    error instanceof Denial ? error : new Denial('token_invalid', 'the request could not be verified');
  if (!(error instanceof Denial)) {
    logger.error('verification failed unexpectedly', {
      problem: error instanceof Error ? error.name : 'unknown',
    });
  }
  const pending = refused(`not evaluated: ${denial.message}`);
  const failed = refused(denial.message);
  const subjects: SubjectVerdicts =
    denial.subject === 'human'
      ? { agent: authorized, human: failed, delegation: pending }
      : denial.subject === 'agent'
        ? { agent: failed, human: pending, delegation: pending }
        : { agent: failed, human: failed, delegation: failed };
  const agent = denial.agent;
  const auditEventId = stages.audit(
    credentials,
    now,
    requirements,
    { agent, human: undefined, delegation: undefined, chain: undefined },
    { code: denial.code, reason: denial.message },
  );
  logger.debug('request denied', { code: denial.code, reason: denial.message });
  const decision: DenyDecision = {
    allow: false,
    code: denial.code,
    reason: denial.message,
    status: denial.httpStatus,
    subjects,
    auditEventId,
  };
  return agent === undefined ? decision : { ...decision, agent };
}
