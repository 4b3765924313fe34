import type { AllowDecision } from '@dual-auth/verifier';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { attachDualAuth } from '../dual-auth-of.ts';

/**
 * The SDK's `AuthInfo` for an allowed request: the agent as `clientId`, its scopes, the token's
 * `exp`, the resource it is bound to, and both subjects in `extra.dualAuth`. The token itself is
 * kept out of `JSON.stringify` and `util.inspect` (not enumerable).
 */
export function authInfoOf(
  decision: AllowDecision,
  token: string,
  resource: URL,
  checkedTools: readonly string[],
): AuthInfo {
  const extra: Record<string, unknown> = {};
  attachDualAuth(
    extra,
    Object.freeze({
      agent: decision.agent,
      human: decision.human,
      delegation: decision.delegation,
      chain: decision.chain,
      auditEventId: decision.auditEventId,
      checkedTools: Object.freeze([...checkedTools]),
    }),
  );
  const exp = decision.claims.exp;
  const authInfo = {
    clientId: decision.agent.id,
    scopes: [...decision.agent.scopes],
    ...(typeof exp === 'number' ? { expiresAt: exp } : {}),
    resource,
    extra,
  } as AuthInfo;
  Object.defineProperty(authInfo, 'token', { value: token, enumerable: false });
  return authInfo;
}
