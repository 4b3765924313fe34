import { isDualAuthError, type TokenRequestError, type TokenResponse } from '@dual-auth/core';
import { diagnoseTokenRefusal } from './diagnose-token-refusal.ts';
import { errorText } from './doctor-check.ts';
import type { DoctorSetupCheck } from './doctor-facts.ts';

/**
 * `token`: the adapter gets a token for the test human, as the agent would. Without a test human
 * it fails rather than skips: the token, the human in it and the verifier's decision would go
 * unchecked, and calling the setup OK would claim what was never tried.
 */
export const tokenCheck: DoctorSetupCheck<'config' | 'testHuman' | 'adapter' | 'discovery' | 'jwks'> = {
  id: 'token',
  title: 'token for the test human',
  needs: ['config', 'testHuman', 'adapter', 'discovery', 'jwks'],
  provides: ['token'],
  whenNotRun(need) {
    if (need === 'config') return undefined;
    if (need === 'testHuman')
      return {
        status: 'fail',
        fault: 'no_test_human',
        detail:
          'no test human given, so the token request, the human in the token and the verifier (steps 7-9) were not checked',
        fix: 'pass --human <IAM user id> (or DUAL_AUTH_DOCTOR_HUMAN) of a human who approved this agent',
      };
    return { status: 'skip', detail: 'skipped: an earlier check failed' };
  },
  async run({ config, testHuman, adapter, subjectToken }) {
    // Exchange mode needs the human's own token: without it nothing past the adapter can be tried.
    if (adapter.mode === 'exchange' && subjectToken === undefined)
      return {
        status: 'fail',
        fault: 'no_subject_token',
        detail:
          'exchange mode and no subject token, so the exchange, the exchanged token and the verifier (steps 7-9) were not checked',
        fix: 'pass --subject-token-file FILE holding an access token of the test human for this agent',
      };
    let token: TokenResponse;
    try {
      token = await adapter.requestToken({
        agentId: config.clientId,
        act: { sub: testHuman },
        ...(config.scope === undefined ? {} : { scope: config.scope }),
        ...(adapter.mode === 'exchange' ? { subjectToken } : {}),
      });
    } catch (error) {
      if (!isDualAuthError(error, 'ERR_TOKEN_REQUEST'))
        return { status: 'fail', fault: 'config_invalid', detail: errorText(error), fix: 'see the message' };
      const secretSource = `read through the ${config.secretsBackend} secrets backend`;
      const diagnosis = diagnoseTokenRefusal(error as TokenRequestError, config.vendor, secretSource);
      return { status: 'fail', fault: diagnosis.fault, detail: diagnosis.detail, fix: diagnosis.fix };
    }
    return { status: 'pass', detail: `issued, expires in ${token.expiresIn ?? '?'} s`, provides: { token } };
  },
};
