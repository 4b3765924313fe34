import { createManualClock, TokenResponse } from '@dual-auth/core';
import { describeTokenStore } from '@dual-auth/testkit/conformance';
import { describe, expect, it } from 'vitest';
import { createMemoryTokenStore } from './create-memory-token-store.ts';

describeTokenStore('memory', () => createMemoryTokenStore());

describe('createMemoryTokenStore', () => {
  const token = (accessToken: string, receivedAt: number, expiresIn = 300) =>
    new TokenResponse({ accessToken, tokenType: 'Bearer', expiresIn, receivedAt });

  it('holds at most maxEntries tokens, evicting expired ones first, then the oldest', async () => {
    const clock = createManualClock(0);
    const store = createMemoryTokenStore({ maxEntries: 3, clock: clock.now });
    await store.set('short', token('short', 0, 1));
    await store.set('a', token('a', 0));
    await store.set('b', token('b', 0));
    clock.set(2_000);
    await store.set('c', token('c', 2_000));
    expect((await store.get('a'))?.accessToken).toBe('a');
    await store.set('d', token('d', 2_000));
    await expect(store.get('a')).resolves.toBeUndefined();
    expect((await store.get('b'))?.accessToken).toBe('b');
    expect((await store.get('d'))?.accessToken).toBe('d');
  });

  it('evicts an expired token before a live one even right after an earlier sweep', async () => {
    const clock = createManualClock(0);
    const store = createMemoryTokenStore({ maxEntries: 3, clock: clock.now });
    await store.set('x1', token('x1', 0));
    await store.set('x2', token('x2', 0));
    await store.set('short', token('short', 0, 1));
    clock.set(500);
    await store.set('x3', token('x3', 500));
    await expect(store.get('x1')).resolves.toBeUndefined();
    // 'short' expired at 1,000, 700 ms after the last eviction: it goes, not the older but live 'x2'.
    clock.set(1_200);
    await store.set('x4', token('x4', 1_200));
    for (const key of ['x2', 'x3', 'x4']) expect((await store.get(key))?.accessToken).toBe(key);
  });

  it('does not store a token that has already expired', async () => {
    const clock = createManualClock(1_000_000);
    const store = createMemoryTokenStore({ clock: clock.now });
    await store.set('k', token('old', 0, 10));
    await expect(store.get('k')).resolves.toBeUndefined();
  });

  it('rejects misuse with TypeError', () => {
    expect(() => createMemoryTokenStore({ maxEntries: -1 })).toThrow(TypeError);
  });
});
