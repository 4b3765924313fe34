import { MISSING_TOKEN_REASON } from '../create-verifier.ts';
import type { DenyDecision } from '../decision.ts';

/** How a framework binding answers a denial: status, headers and a JSON body. */
export interface DenialResponse {
  readonly status: 401 | 403 | 503;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly error: string; readonly error_description: string };
}

// Reasons are fixed texts, but a quoted-string must never be broken by what it carries.
const quoted = (text: string) => `"${text.replace(/[\\"]/g, '').replace(/[^\x20-\x7e]/g, '?')}"`;

/**
 * The RFC 6750 answer to a denial: 401 `invalid_token` (no `error` when no token was sent), 403
 * `insufficient_scope`, 503 with `Retry-After`. Every one carries a `WWW-Authenticate` challenge.
 */
export function denialResponse(decision: DenyDecision, realm?: string): DenialResponse {
  const parameters: string[] = [];
  if (realm !== undefined) parameters.push(`realm=${quoted(realm)}`);
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (decision.status === 401) {
    if (decision.reason !== MISSING_TOKEN_REASON) {
      parameters.push('error="invalid_token"', `error_description=${quoted(decision.reason)}`);
    }
  } else if (decision.status === 403) {
    parameters.push('error="insufficient_scope"', `error_description=${quoted(decision.reason)}`);
  } else {
    headers['retry-after'] = '30';
  }
  headers['www-authenticate'] = parameters.length === 0 ? 'Bearer' : `Bearer ${parameters.join(', ')}`;
  return {
    status: decision.status,
    headers,
    body: { error: decision.code, error_description: decision.reason },
  };
}

/**
 * Options every framework binding takes.
 *
 * @example
 * ```ts
 * requireDualAuth(verifier, { agentRoles: ['reports.read'] }, { realm: 'finance-api' });
 * ```
 */
export interface MiddlewareOptions {
  /** `realm` of the `WWW-Authenticate` challenge. */
  readonly realm?: string;
}
