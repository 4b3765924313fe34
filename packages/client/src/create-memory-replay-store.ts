import { ReplayError, type ReplayStore } from '@dual-auth/core';
import { ExpiryHeap } from './internal/expiry-heap.ts';
import { type MemoryStoreOptions, resolveMemoryStoreOptions } from './internal/memory-store-options.ts';

/**
 * Options of {@link createMemoryReplayStore}.
 *
 * @example
 * ```ts
 * const options: MemoryReplayStoreOptions = { maxEntries: 50_000 };
 * ```
 */
export interface MemoryReplayStoreOptions extends MemoryStoreOptions {
  /** Most identifiers held at once (default 100,000). A full store of live entries refuses new ones. */
  readonly maxEntries?: number;
}

/** Default bound of the in-memory replay store. */
const DEFAULT_MAX_ENTRIES = 100_000;

/**
 * An in-memory {@link ReplayStore} for one process: bounded, forgetting each identifier when it
 * expires, and failing closed — when every slot holds an unexpired identifier it rejects with
 * `ReplayError('store_full')` rather than evict one that could then be replayed.
 *
 * @example
 * ```ts
 * const replayStore = createMemoryReplayStore({ maxEntries: 50_000 });
 * await replayStore.useOnce('https://app.example.com#jti-1', Date.now() + 60_000); // true
 * await replayStore.useOnce('https://app.example.com#jti-1', Date.now() + 60_000); // false
 * ```
 */
export function createMemoryReplayStore(options: MemoryReplayStoreOptions = {}): ReplayStore {
  const { maxEntries, clock } = resolveMemoryStoreOptions(options, DEFAULT_MAX_ENTRIES);
  const entries = new Map<string, number>();
  const expiries = new ExpiryHeap();

  const purgeExpired = (now: number): void => {
    for (let top = expiries.peek(); top !== undefined && top.expiresAt <= now; top = expiries.peek()) {
      expiries.pop();
      // The heap may hold an older record of an id that was recorded again later; keep the newer one.
      if (entries.get(top.id) === top.expiresAt) entries.delete(top.id);
    }
  };

  const store: ReplayStore = {
    async useOnce(id, expiresAt) {
      if (typeof id !== 'string' || id.length === 0) throw new TypeError('id must be a non-empty string');
      if (!Number.isFinite(expiresAt)) throw new TypeError('expiresAt must be epoch milliseconds');
      const now = clock();
      purgeExpired(now);
      if (entries.has(id)) return false;
      // Already expired: nothing is left to protect, and recording it would only take a slot.
      if (expiresAt <= now) return true;
      if (entries.size >= maxEntries) {
        throw new ReplayError(
          'store_full',
          `replay store is full (${maxEntries} unexpired entries); refusing rather than forgetting a live one`,
        );
      }
      entries.set(id, expiresAt);
      expiries.push({ id, expiresAt });
      return true;
    },
  };
  return Object.freeze(store);
}
