import { ACT_ASSERTION_TYPE, accessTokenHash } from '@dual-auth/core';
import { type CheckOutcome, errorText } from './doctor-check.ts';
import type { DoctorFacts, DoctorSetupCheck } from './doctor-facts.ts';
import { verifyWithJwks } from './verify-with-jwks.ts';

function invalid(detail: string, fix: string): CheckOutcome<DoctorFacts> {
  return { status: 'fail', fault: 'act_assertion_invalid', detail, fix };
}

/**
 * `human` in hybrid mode: the access token carries no `act`, and the act assertion verifies with
 * the application key and is bound to this token (`ath`), this agent and the test human.
 */
export const actAssertionCheck: DoctorSetupCheck<
  'config' | 'adapterProbe' | 'appKey' | 'token' | 'tokenClaims' | 'testHuman'
> = {
  id: 'human',
  title: 'the human is in the act assertion (hybrid mode)',
  needs: ['config', 'adapterProbe', 'appKey', 'token', 'tokenClaims', 'testHuman'],
  provides: ['humanInToken'],
  async run({ config, adapterProbe, appKey: { sender }, token, tokenClaims, testHuman }) {
    if (adapterProbe.mode !== 'hybrid' || sender === undefined) return { status: 'silent' };
    if (tokenClaims.act !== undefined)
      return invalid(
        'the access token itself carries act, which a hybrid-mode API refuses',
        'remove the act mapper or Action from this client, or set DUAL_AUTH_MODE=agbac',
      );
    const assertion = token.actAssertion;
    if (assertion === undefined)
      return invalid('no act assertion was produced', 'set APP_PRIVATE_KEY_PATH and APP_ID');
    try {
      const verified = await verifyWithJwks(assertion, await sender.publicJwks(), {
        issuer: config.appId as string,
        audience: config.audience as string,
        typ: ACT_ASSERTION_TYPE,
      });
      if (!verified.ok) throw new Error(verified.message);
      const claims = verified.payload;
      const problems: string[] = [];
      if (claims.ath !== (await accessTokenHash(token.accessToken)))
        problems.push('ath does not match the token');
      if (claims.client_id !== config.clientId) problems.push('client_id is not the agent');
      if ((claims.act as { sub?: unknown } | undefined)?.sub !== testHuman)
        problems.push('act.sub is not the test human');
      if (problems.length > 0)
        return invalid(problems.join('; '), 'report this: the sender and adapter disagree');
    } catch (error) {
      return invalid(
        errorText(error),
        'APP_PUBLIC_KEY_PATH / the JWKS the API trusts must match APP_PRIVATE_KEY_PATH, and APP_ID be the issuer it expects',
      );
    }
    return {
      status: 'pass',
      detail: 'signed by the application key, bound to this token and agent, act.sub is the test human',
      provides: { humanInToken: { humanClaim: undefined } },
    };
  },
};
