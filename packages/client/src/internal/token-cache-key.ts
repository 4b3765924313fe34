import type { IdpAdapter, TokenRequestParams } from '@dual-auth/core';
import { encodeBase64Url, nodeCrypto } from '@dual-auth/core/jose';

const encoder = new TextEncoder();

// The hash hides the human's id from shared stores (Redis); in this process, the same material
// seen recently maps straight to its key instead of being hashed again on every cache hit.
const RECENT_KEYS_LIMIT = 4096;
const recentKeys = new Map<string, string>();

function remember(material: string, key: string): string {
  if (recentKeys.size >= RECENT_KEYS_LIMIT) {
    const oldest = recentKeys.keys().next();
    if (oldest.done !== true) recentKeys.delete(oldest.value);
  }
  recentKeys.set(material, key);
  return key;
}

/**
 * The cache key of one token: a SHA-256 over everything that makes two tokens different. The
 * human's `sub` and the agent id are in it, so no token is ever served across humans or agents;
 * the delegation's method, intent and expiry are too, so a token minted for one task (or one
 * delegation window) is not reused for another.
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
    params.delegation?.expiresAt ?? null,
  ]);
  const known = recentKeys.get(material);
  if (known !== undefined) return known;
  // Every cache hit computes a key, so where Node's synchronous hash is available it is used: the
  // WebCrypto digest costs a promise and a thread-pool round trip per call (same bytes either way).
  const node = nodeCrypto;
  if (node !== undefined) {
    return remember(material, `token:v1:${node.createHash('sha256').update(material).digest('base64url')}`);
  }
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(material));
  return remember(material, `token:v1:${encodeBase64Url(new Uint8Array(digest))}`);
}
