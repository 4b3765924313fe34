import type {
  TokenFlightClaim,
  TokenFlightOutcome,
  TokenResponse,
  TokenSingleFlight,
  TokenStore,
} from '@dual-auth/core';
import { createMemoryTokenStore } from '../src/create-memory-token-store.ts';

/**
 * A `TokenStore` with `singleFlight`, in this process, written in the test as any store author
 * could write the contract: several token caches sharing it behave like several agent processes
 * sharing Redis. `holders` counts the leases taken.
 */
export function createSharedMemoryStore(options: { maxWaitMs?: number } = {}) {
  const store = createMemoryTokenStore();
  const leases = new Map<string, Set<(outcome: TokenFlightOutcome) => void>>();
  const counts = { holders: 0 };
  const settle = (key: string, outcome: TokenFlightOutcome) => {
    const waiters = leases.get(key);
    leases.delete(key);
    for (const wake of waiters ?? []) wake(outcome);
  };
  const singleFlight: TokenSingleFlight = {
    async claim(key): Promise<TokenFlightClaim> {
      const waiters = leases.get(key);
      if (waiters === undefined) {
        leases.set(key, new Set());
        counts.holders++;
        let settled = false;
        const once = async (end: () => Promise<void> | void) => {
          if (settled) return;
          settled = true;
          await end();
        };
        return {
          role: 'holder',
          lease: {
            fulfil: (token: TokenResponse) =>
              once(async () => {
                await store.set(key, token);
                settle(key, { kind: 'token', token });
              }),
            fail: (failure) => once(() => settle(key, { kind: 'failed', failure })),
            release: () => once(() => settle(key, { kind: 'abandoned' })),
          },
        };
      }
      return {
        role: 'waiter',
        wait: () =>
          new Promise((resolve) => {
            const timer = setTimeout(() => resolve({ kind: 'timed_out' }), options.maxWaitMs ?? 5_000);
            waiters.add((outcome) => {
              clearTimeout(timer);
              resolve(outcome);
            });
          }),
      };
    },
  };
  const shared: TokenStore = { ...store, get: store.get, set: store.set, delete: store.delete, singleFlight };
  return { store: shared, counts };
}
