import { type Clock, systemClock } from '@dual-auth/core';

/** Options every in-memory store takes. */
export interface MemoryStoreOptions {
  readonly maxEntries?: number;
  readonly clock?: Clock;
}

/** Applies defaults to a memory store's options; misuse is a `TypeError`. */
export function resolveMemoryStoreOptions(
  options: MemoryStoreOptions,
  defaultMaxEntries: number,
): { maxEntries: number; clock: Clock } {
  const maxEntries = options.maxEntries ?? defaultMaxEntries;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new TypeError('maxEntries must be a positive integer');
  }
  const clock = options.clock ?? systemClock;
  if (typeof clock !== 'function')
    throw new TypeError('clock must be a function returning epoch milliseconds');
  return { maxEntries, clock };
}
