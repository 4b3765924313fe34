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
 * delegation window) is not reused for another. An exchange request's subject token enters only as
 * its own SHA-256, so the key material (kept in memory for repeated hits) never holds the token.
 */
export async function tokenCacheKey(adapter: IdpAdapter, params: TokenRequestParams): Promise<string> {
  const scopes = [...new Set(params.scope ?? [])].sort();
  const subject = params.subjectToken === undefined ? null : await sha256(params.subjectToken.reveal());
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
    ...(subject === null ? [] : [subject]),
  ]);
  const known = recentKeys.get(material);
  if (known !== undefined) return known;
  return remember(material, `token:v1:${await sha256(material)}`);
}

// Every cache hit computes a key, so where Node's synchronous hash is available it is used: the
// WebCrypto digest costs a promise and a thread-pool round trip per call (same bytes either way).
async function sha256(text: string): Promise<string> {
  const node = nodeCrypto;
  if (node !== undefined) return node.createHash('sha256').update(text).digest('base64url');
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text));
  return encodeBase64Url(new Uint8Array(digest));
}
