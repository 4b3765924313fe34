import { ACT_ASSERTION_HEADER, type TokenResponse } from '@dual-auth/core';
import type { Middleware } from '@modelcontextprotocol/sdk/client/middleware.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

/**
 * Where the MCP client gets its dual-subject token for each request: typically
 * `() => tokenRequest.requestToken({ agentId, act, scope })` of `@dual-auth/client`, whose token
 * cache hands back the same token until shortly before it expires and then fetches a new one.
 *
 * @example
 * ```ts
 * const tokenSource: DualAuthTokenSource = () => tokenRequest.requestToken({ agentId: 'finance-agent', act });
 * ```
 */
export type DualAuthTokenSource = () => Promise<TokenResponse> | TokenResponse;

/**
 * A fetch middleware for the MCP SDK's `StreamableHTTPClientTransport`: every request it makes
 * carries `Authorization: Bearer <token>` and, in the hybrid layout, the application's act
 * assertion in `X-Act-Assertion`, both from `tokenSource` (asked per request, so a cached token is
 * reused and an expiring one refreshed). Headers the caller set otherwise are kept.
 *
 * @example
 * ```ts
 * import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
 * const transport = new StreamableHTTPClientTransport(new URL('https://mcp.example.com/mcp'), {
 *   fetch: withDualAuth(() => tokenRequest.requestToken({ agentId: 'finance-agent', act }))(fetch),
 * });
 * ```
 */
export function withDualAuth(tokenSource: DualAuthTokenSource): Middleware {
  if (typeof tokenSource !== 'function') throw new TypeError('withDualAuth: tokenSource must be a function');
  return (next: FetchLike): FetchLike =>
    async (input, init) => {
      const token = await tokenSource();
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${token.accessToken}`);
      if (token.actAssertion !== undefined) headers.set(ACT_ASSERTION_HEADER, token.actAssertion);
      else headers.delete(ACT_ASSERTION_HEADER);
      return next(input, { ...init, headers });
    };
}
