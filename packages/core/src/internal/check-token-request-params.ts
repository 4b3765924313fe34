import { parseAct } from '../act.ts';
import { createDelegation, type Delegation, parseDelegationClaim, toDelegationClaim } from '../delegation.ts';
import type { TokenMode, TokenRequestParams } from '../idp-adapter.ts';
import { Secret } from '../secret.ts';

/** The act and delegation of one token request, checked; a `TypeError` naming what is wrong. */
export function checkTokenRequestParams(
  params: TokenRequestParams,
  clientId: string,
  now: number,
  mode: TokenMode,
) {
  if (typeof params !== 'object' || params === null) throw new TypeError('requestToken needs parameters');
  if (mode === 'exchange' && !(params.subjectToken instanceof Secret && !params.subjectToken.isEmpty)) {
    throw new TypeError("exchange mode needs subjectToken: a Secret holding the human's access token");
  }
  if (mode !== 'exchange' && params.subjectToken !== undefined) {
    throw new TypeError(`subjectToken is for exchange mode only (this adapter is in ${mode} mode)`);
  }
  if (params.agentId !== clientId) {
    throw new TypeError(
      'agentId must equal the configured client id: an adapter holds one agent\u2019s credentials',
    );
  }
  const act = parseAct(params.act);
  if (!act.ok) throw new TypeError(`act is invalid: ${act.problem}`);
  const delegation: Delegation = params.delegation ?? createDelegation({ now });
  const checked = parseDelegationClaim(toDelegationClaim(delegation));
  if (!checked.ok) throw new TypeError(`delegation is invalid: ${checked.problem}`);
  // `now` is epoch ms, `expiresAt` epoch seconds. An ended delegation authorises nothing: the token
  // (or act assertion) carrying it would be refused downstream, so it is not requested at all.
  const { expiresAt } = checked.delegation;
  if (expiresAt !== undefined && expiresAt * 1000 <= now) {
    throw new TypeError('delegation is invalid: expiresAt is in the past');
  }
  return { act: act.act, delegation: checked.delegation };
}
