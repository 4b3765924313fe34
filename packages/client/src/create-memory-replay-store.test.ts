import { createManualClock, ReplayError } from '@dual-auth/core';
import { describeReplayStore } from '@dual-auth/testkit/conformance';
import { describe, expect, it } from 'vitest';
import { createMemoryReplayStore } from './create-memory-replay-store.ts';

describeReplayStore('memory', () => createMemoryReplayStore());

describe('createMemoryReplayStore', () => {
  it('stays within its bound under a flood of 100,000 unique jtis and fails closed', async () => {
    const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const store = createMemoryReplayStore({ maxEntries: 1_000, clock: clock.now });
    let accepted = 0;
    let refused = 0;
    for (let index = 0; index < 100_000; index++) {
      try {
        if (await store.useOnce(`jti-${index}`, clock.now() + 60_000)) accepted++;
      } catch (error) {
        expect(error).toBeInstanceOf(ReplayError);
        expect((error as ReplayError).reason).toBe('store_full');
        refused++;
      }
    }
    expect(accepted).toBe(1_000);
    expect(refused).toBe(99_000);
    // Every live jti is still remembered: nothing was evicted to make room.
    for (let index = 0; index < 1_000; index += 97) {
      await expect(store.useOnce(`jti-${index}`, clock.now() + 60_000)).resolves.toBe(false);
    }
  });

  it('makes room again once entries expire', async () => {
    const clock = createManualClock(0);
    const store = createMemoryReplayStore({ maxEntries: 2, clock: clock.now });
    await store.useOnce('a', 1_000);
    await store.useOnce('b', 5_000);
    await expect(store.useOnce('c', 5_000)).rejects.toMatchObject({
      code: 'ERR_REPLAY',
      reason: 'store_full',
    });
    clock.set(1_000);
    await expect(store.useOnce('c', 5_000)).resolves.toBe(true);
    await expect(store.useOnce('b', 9_000)).resolves.toBe(false);
    clock.set(5_000);
    await expect(store.useOnce('b', 9_000)).resolves.toBe(true);
  });

  it('does not record an id that has already expired', async () => {
    const clock = createManualClock(10_000);
    const store = createMemoryReplayStore({ maxEntries: 1, clock: clock.now });
    await expect(store.useOnce('old', 9_000)).resolves.toBe(true);
    await expect(store.useOnce('new', 20_000)).resolves.toBe(true);
  });

  it('rejects misuse with TypeError', async () => {
    expect(() => createMemoryReplayStore({ maxEntries: 0 })).toThrow(TypeError);
    expect(() => createMemoryReplayStore({ maxEntries: 1.5 })).toThrow(TypeError);
    const store = createMemoryReplayStore();
    await expect(store.useOnce('', Date.now() + 1000)).rejects.toThrow(TypeError);
    await expect(store.useOnce('x', Number.NaN)).rejects.toThrow(TypeError);
  });
});
