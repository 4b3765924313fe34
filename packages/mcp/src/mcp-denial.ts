import type { DenyDecision } from '@dual-auth/verifier';

// Reasons are fixed texts, but a quoted-string must never be broken by what it carries.
const quoted = (text: string) => `"${text.replace(/[\\"]/g, '').replace(/[^\x20-\x7e]/g, '?')}"`;

/**
 * How the MCP endpoint answers a denial: status, headers (`WWW-Authenticate`, `Retry-After`) and
 * the JSON body `{ error, error_description }`.
 *
 * @example
 * ```ts
 * const { status, headers, body }: McpDenial = outcome.denial;
 * ```
 */
export interface McpDenial {
  readonly status: 401 | 403 | 503;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly error: string; readonly error_description: string };
}

/**
 * The MCP authorization spec's answer to a denial: 401 with `WWW-Authenticate: Bearer
 * resource_metadata="…"` (plus `error="invalid_token"` when a token was sent), 403
 * `error="insufficient_scope"` with the scopes the request needs, 503 with `Retry-After`.
 */
export function mcpDenial(
  decision: DenyDecision,
  resourceMetadataUrl: string,
  requiredScopes: readonly string[] | undefined,
  tokenSent: boolean,
): McpDenial {
  const parameters: string[] = [];
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (decision.status === 401 && tokenSent) parameters.push('error="invalid_token"');
  if (decision.status === 403) parameters.push('error="insufficient_scope"');
  if (decision.status !== 503 && requiredScopes !== undefined && requiredScopes.length > 0)
    parameters.push(`scope=${quoted(requiredScopes.join(' '))}`);
  parameters.push(`resource_metadata=${quoted(resourceMetadataUrl)}`);
  if (decision.status !== 503 && (decision.status === 403 || tokenSent))
    parameters.push(`error_description=${quoted(decision.reason)}`);
  if (decision.status === 503) headers['retry-after'] = '30';
  headers['www-authenticate'] = `Bearer ${parameters.join(', ')}`;
  return {
    status: decision.status,
    headers,
    body: { error: decision.code, error_description: decision.reason },
  };
}
