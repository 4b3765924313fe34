import { ACT_JWT_LIFETIME_SECONDS, type Act, type Clock, checkUrlPolicy } from '@dual-auth/core';
import type { OutOfSessionActOptions } from '../hybrid-sender-options.ts';
import { checkAct, checkDelegation, checkTtl } from './act-claim-checks.ts';
import type { ActClaimFields } from './sign-act-claims.ts';

const method = 'prepareOutOfSessionAct';

/** The checked claims of an out-of-session act JWT for one agent endpoint; a `TypeError` on bad input. */
export function outOfSessionActFields(
  act: Act,
  options: OutOfSessionActOptions,
  { allowInsecureLoopback, clock }: { readonly allowInsecureLoopback: boolean; readonly clock: Clock },
): ActClaimFields {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${method}: options { agentEndpoint } are required`);
  }
  const checkedAct = checkAct(act, method);
  const { agentEndpoint } = options;
  if (typeof agentEndpoint !== 'string') throw new TypeError(`${method}: agentEndpoint must be a URL string`);
  const endpoint = checkUrlPolicy(agentEndpoint, { allowInsecureLoopback });
  if (!endpoint.ok) throw new TypeError(`${method}: agentEndpoint ${endpoint.problem}`);
  const ttlSeconds = checkTtl(options.ttlSeconds ?? ACT_JWT_LIFETIME_SECONDS.default, method);
  const delegation = checkDelegation(options.delegation, method, clock);
  return {
    act: checkedAct,
    // The normalised form (`new URL(…).href`, e.g. a trailing slash after a bare origin), as
    // getConfig() gives AGENT_ENDPOINT, so the agent's expected audience compares equal.
    aud: endpoint.url.href,
    ttlSeconds,
    delegation,
  };
}
