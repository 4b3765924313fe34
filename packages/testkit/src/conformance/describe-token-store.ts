import { TokenResponse, type TokenStore } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { openPerTest, uniqueName } from './internal/open-per-test.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const uniqueKey = uniqueName;

const canaryToken = 'canary-access-token-3b9f1e';
const canaryAssertion = 'canary-act-assertion-8d2c4a';

/**
 * The conformance suite every `TokenStore` runs: get, set, delete, overwrite, expiry, and a
 * round trip that keeps every field (access token, type, lifetime, expiry, scopes, act assertion)
 * and freshness; and no token in the store's serialized form. `createStore` is called once per
 * test; a `close()` on the returned store is called after it.
 *
 * @example
 * ```ts
 * describeTokenStore('memory', () => createMemoryTokenStore());
 * ```
 */
export function describeTokenStore(name: string, createStore: () => TokenStore | Promise<TokenStore>): void {
  describe(`TokenStore conformance: ${name}`, () => {
    const open = openPerTest(createStore);

    it('resolves undefined for a key never set', async () => {
      const store = await open();
      await expect(store.get(uniqueKey('missing'))).resolves.toBeUndefined();
    });

    it('round-trips every field, the act assertion included', async () => {
      const store = await open();
      const key = uniqueKey('round-trip');
      const token = new TokenResponse({
        accessToken: canaryToken,
        tokenType: 'Bearer',
        expiresIn: 300,
        scope: ['finance.read', 'finance.write'],
        actAssertion: canaryAssertion,
      });
      await store.set(key, token);
      const stored = await store.get(key);
      expect(stored).toBeDefined();
      expect(stored?.accessToken).toBe(canaryToken);
      expect(stored?.actAssertion).toBe(canaryAssertion);
      expect(stored?.hasActAssertion).toBe(true);
      expect(stored?.tokenType).toBe('Bearer');
      expect(stored?.expiresIn).toBe(300);
      expect(stored?.expiresAt).toBe(token.expiresAt);
      expect(stored?.scope).toEqual(['finance.read', 'finance.write']);
      expect(stored?.isFresh(Date.now(), 30)).toBe(true);
      expect(stored?.isFresh(token.expiresAt - 10_000, 30)).toBe(false);
    });

    it('round-trips a token without an act assertion or scopes', async () => {
      const store = await open();
      const key = uniqueKey('plain');
      await store.set(
        key,
        new TokenResponse({ accessToken: 'plain-token', tokenType: 'Bearer', expiresIn: 120 }),
      );
      const stored = await store.get(key);
      expect(stored?.accessToken).toBe('plain-token');
      expect(stored?.actAssertion).toBeUndefined();
      expect(stored?.hasActAssertion).toBe(false);
      expect(stored?.scope).toEqual([]);
    });

    it('overwrites, deletes, and keeps keys apart', async () => {
      const store = await open();
      const a = uniqueKey('a');
      const b = uniqueKey('b');
      const token = (accessToken: string) =>
        new TokenResponse({ accessToken, tokenType: 'Bearer', expiresIn: 300 });
      await store.set(a, token('first'));
      await store.set(b, token('other'));
      await store.set(a, token('second'));
      expect((await store.get(a))?.accessToken).toBe('second');
      expect((await store.get(b))?.accessToken).toBe('other');
      await store.delete(a);
      await expect(store.get(a)).resolves.toBeUndefined();
      expect((await store.get(b))?.accessToken).toBe('other');
      await store.delete(uniqueKey('never-set'));
    });

    it('stops serving a token once it has expired', async () => {
      const store = await open();
      const key = uniqueKey('expiry');
      await store.set(
        key,
        new TokenResponse({ accessToken: 'short-lived', tokenType: 'Bearer', expiresIn: 0.2 }),
      );
      await sleep(450);
      const stored = await store.get(key);
      expect(stored === undefined || !stored.isFresh(Date.now())).toBe(true);
    });

    it('never shows a stored token when serialized or inspected', async () => {
      const store = await open();
      await store.set(
        uniqueKey('canary'),
        new TokenResponse({
          accessToken: canaryToken,
          tokenType: 'Bearer',
          expiresIn: 300,
          actAssertion: canaryAssertion,
        }),
      );
      const { inspect } = await import('node:util');
      for (const text of [
        JSON.stringify(store) ?? '',
        inspect(store, { depth: 10, showHidden: true }),
        String(store),
      ]) {
        expect(text).not.toContain(canaryToken);
        expect(text).not.toContain(canaryAssertion);
      }
    });
  });
}
