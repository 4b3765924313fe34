import type { Delegation } from '@dual-auth/core';
import type { VerifiedAgent, VerifiedHuman } from '@dual-auth/verifier';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';

/**
 * Both subjects of an allowed MCP request, as `AuthInfo.extra.dualAuth` carries them to tool
 * handlers: the agent, the human it acts for, the delegation, the actor chain, the audit event id
 * of the decision, and the protected tools whose requirements that decision checked.
 *
 * @example
 * ```ts
 * const context: DualAuthContext | undefined = dualAuthOf(extra);
 * console.log(context?.agent.id, context?.human.id, context?.chain);
 * ```
 */
export interface DualAuthContext {
  readonly agent: VerifiedAgent;
  readonly human: VerifiedHuman;
  readonly delegation: Delegation | undefined;
  /** Actors from the most recent (the agent) back; `[agent]` outside the RFC 8693 layout. */
  readonly chain: readonly string[];
  readonly auditEventId: string;
  /** Protected tools whose requirements the decision included. */
  readonly checkedTools: readonly string[];
}

const contexts = new WeakMap<object, DualAuthContext>();

/** Records `context` as the dual-auth decision behind `extra` (internal to this package). */
export function attachDualAuth(extra: Record<string, unknown>, context: DualAuthContext): void {
  contexts.set(extra, context);
  extra.dualAuth = context;
}

/**
 * The dual-auth decision behind a tool call: reads `authInfo.extra.dualAuth` from a handler's
 * `extra` (or an `AuthInfo`), and only when this package's middleware put it there — a value
 * forged into `extra` by other code is not taken for one. `undefined` when the request was not
 * checked by `mcpAuth.middleware`.
 *
 * @example
 * ```ts
 * server.registerTool('whoami', {}, async (extra) => {
 *   const context = dualAuthOf(extra);
 *   return { content: [{ type: 'text', text: `${context?.agent.id} for ${context?.human.id}` }] };
 * });
 * ```
 */
export function dualAuthOf(
  source: { readonly authInfo?: AuthInfo | undefined } | AuthInfo | undefined,
): DualAuthContext | undefined {
  if (source === undefined) return undefined;
  const authInfo = 'token' in source ? source : source.authInfo;
  const extra = authInfo?.extra;
  return extra === undefined ? undefined : contexts.get(extra);
}
