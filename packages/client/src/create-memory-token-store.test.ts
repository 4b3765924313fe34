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
