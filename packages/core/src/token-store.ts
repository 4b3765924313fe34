import type { TokenResponse } from './token-response.ts';

/**
 * Storage behind the agent's token cache. In-memory in `@dual-auth/client`; shared across replicas
 * in `@dual-auth/store-redis`. Keys are opaque strings built by the cache (they include the human,
 * so tokens are never shared across humans).
 *
 * @example
 * ```ts
 * const cached = await tokenStore.get(key);
 * if (cached?.isFresh(Date.now(), 30)) return cached;
 * ```
 */
export interface TokenStore {
  /** The stored token, or `undefined`. May return an expired token; callers check freshness. */
  get(key: string): Promise<TokenResponse | undefined>;
  /** Stores `token` until its `expiresAt`. */
  set(key: string, token: TokenResponse): Promise<void>;
  /** Forgets `key`. */
  delete(key: string): Promise<void>;
}
