import type { TokenResponse, TokenStore } from '@dual-auth/core';
import { type MemoryStoreOptions, resolveMemoryStoreOptions } from './internal/memory-store-options.ts';

/**
 * Options of {@link createMemoryTokenStore}.
 *
 * @example
 * ```ts
 * const options: MemoryTokenStoreOptions = { maxEntries: 1_000 };
 * ```
 */
export interface MemoryTokenStoreOptions extends MemoryStoreOptions {
  /** Most tokens held at once (default 10,000); when full, expired tokens go first, then the oldest. */
  readonly maxEntries?: number;
}

const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * An in-memory {@link TokenStore} for one process: bounded, dropping tokens once they expire.
 * Unlike a replay store it may evict a live entry when full — a token cache miss only costs one
 * more IdP request. Tokens live in a closure: the store shows nothing when serialized or inspected.
 *
 * @example
 * ```ts
 * const tokenCache = createTokenCache({ store: createMemoryTokenStore({ maxEntries: 1_000 }) });
 * ```
 */
export function createMemoryTokenStore(options: MemoryTokenStoreOptions = {}): TokenStore {
  const { maxEntries, clock } = resolveMemoryStoreOptions(options, DEFAULT_MAX_ENTRIES);
  // A Map iterates in insertion order, so its first key is the least recently stored token.
  const tokens = new Map<string, TokenResponse>();

  // No held token expires before this (a lower bound: deletions only make it looser). A full
  // store sweeps only when some token may have expired, so a store full of live tokens evicts in
  // O(1), and every sweep either frees a slot or tightens the bound to the true earliest expiry.
  let earliestExpiry = Number.POSITIVE_INFINITY;

  const makeRoom = (): void => {
    const now = clock();
    if (earliestExpiry <= now) {
      earliestExpiry = Number.POSITIVE_INFINITY;
      for (const [key, token] of tokens) {
        if (token.expiresAt <= now) tokens.delete(key);
        else if (token.expiresAt < earliestExpiry) earliestExpiry = token.expiresAt;
      }
    }
    while (tokens.size >= maxEntries) {
      const oldest = tokens.keys().next();
      if (oldest.done) break;
      tokens.delete(oldest.value);
    }
  };

  const store: TokenStore = {
    async get(key) {
      const token = tokens.get(key);
      if (token === undefined) return undefined;
      if (token.expiresAt <= clock()) {
        tokens.delete(key);
        return undefined;
      }
      return token;
    },
    async set(key, token) {
      tokens.delete(key);
      if (token.expiresAt <= clock()) return;
      if (tokens.size >= maxEntries) makeRoom();
      tokens.set(key, token);
      if (token.expiresAt < earliestExpiry) earliestExpiry = token.expiresAt;
    },
    async delete(key) {
      tokens.delete(key);
    },
  };
  return Object.freeze(store);
}
