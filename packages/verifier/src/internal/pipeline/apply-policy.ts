import type { Logger } from '@dual-auth/core';
import type { SubjectVerdict, SubjectVerdicts } from '../../decision.ts';
import type { PolicyContext, PolicyFunction } from '../../verifier-options.ts';
import { isThenable } from './maybe-async.ts';
import { refused } from './verdicts.ts';

/** `builtIn`, or the custom refusal when the built-in check allowed and the policy refused. */
function and(builtIn: SubjectVerdict, extra: SubjectVerdict | undefined): SubjectVerdict {
  return builtIn.ok && extra?.ok === false ? refused(String(extra.reason)) : builtIn;
}

/**
 * The custom-policy stage: runs `policy` on the judged request and ANDs its verdicts into the
 * built-in ones, so it can only add denials. A policy that throws, rejects or returns no verdicts
 * object refuses every subject (and is logged by the error's name only).
 */
export function applyPolicy(
  policy: PolicyFunction,
  context: PolicyContext & { readonly subjects: SubjectVerdicts },
  logger: Logger,
): SubjectVerdicts | Promise<SubjectVerdicts> {
  const builtIn = context.subjects;
  const failedPolicy = (error: unknown): Partial<SubjectVerdicts> => {
    logger.error('policy function failed', { problem: error instanceof Error ? error.name : 'unknown' });
    const failed = refused('the policy function failed');
    return { agent: failed, human: failed, delegation: failed };
  };
  let custom: Partial<SubjectVerdicts> | PromiseLike<Partial<SubjectVerdicts>>;
  try {
    custom = policy(context);
  } catch (error) {
    custom = failedPolicy(error);
  }
  const combine = (returned: Partial<SubjectVerdicts>): SubjectVerdicts => {
    // A policy can only add denials; one that returns no verdicts object is a broken policy.
    const verdicts =
      typeof returned === 'object' && returned !== null
        ? returned
        : failedPolicy(new TypeError('the policy returned no verdicts'));
    return {
      agent: and(builtIn.agent, verdicts.agent),
      human: and(builtIn.human, verdicts.human),
      delegation: and(builtIn.delegation, verdicts.delegation),
    };
  };
  return isThenable(custom) ? Promise.resolve(custom).catch(failedPolicy).then(combine) : combine(custom);
}
