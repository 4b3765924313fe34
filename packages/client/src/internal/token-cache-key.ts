import type { IdpAdapter, TokenRequestParams } from '@dual-auth/core';
import { base64UrlEncode } from './base64url.ts';

const encoder = new TextEncoder();

/**
 * The cache key of one token: a SHA-256 over everything that makes two tokens different. The
 * human's `sub` and the agent id are in it, so no token is ever served across humans or agents;
 * the delegation's method and intent are too, so a token minted for one task is not reused for another.
 */
export async function tokenCacheKey(adapter: IdpAdapter, params: TokenRequestParams): Promise<string> {
  const scopes = [...new Set(params.scope ?? [])].sort();
  const material = JSON.stringify([
    'v1',
    adapter.tokenEndpoint,
    adapter.audience ?? null,
    params.agentId,
    params.act.sub,
    scopes,
    params.delegation?.method ?? null,
    params.delegation?.intentSummary ?? null,
  ]);
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(material));
  return `token:v1:${base64UrlEncode(new Uint8Array(digest))}`;
}
