import { TokenResponse, type TokenSingleFlight, type TokenStore } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { openPerTest, uniqueName } from './internal/open-per-test.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const uniqueKey = uniqueName;

const canaryToken = 'canary-access-token-3b9f1e';
const canaryAssertion = 'canary-act-assertion-8d2c4a';

/**
 * Options of {@link describeTokenStore}.
 *
 * @example
 * ```ts
 * const options: TokenStoreConformanceOptions = { singleFlight: true };
 * ```
 */
export interface TokenStoreConformanceOptions {
  /** The store offers `singleFlight` (cross-process single-flight): run its tests too. */
  readonly singleFlight?: boolean;
}

/**
 * The conformance suite every `TokenStore` runs: get, set, delete, overwrite, expiry, and a
 * round trip that keeps every field (access token, type, lifetime, expiry, scopes, act assertion)
 * and freshness; and no token in the store's serialized form. With `{ singleFlight: true }`, also
 * the lease protocol: one holder per key, the waiters get the holder's token or its typed failure
 * (and nothing else of it), a released lease sends them back to claim, a settled lease cannot end
 * its successor. `createStore` is called once per test; a `close()` on the returned store is
 * called after it.
 *
 * @example
 * ```ts
 * describeTokenStore('memory', () => createMemoryTokenStore());
 * describeTokenStore('redis', () => createRedisTokenStore({ client }), { singleFlight: true });
 * ```
 */
export function describeTokenStore(
  name: string,
  createStore: () => TokenStore | Promise<TokenStore>,
  options: TokenStoreConformanceOptions = {},
): void {
  describe(`TokenStore conformance: ${name}`, () => {
    const open = openPerTest(createStore);
    if (options.singleFlight === true) describeSingleFlight(open);

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

function describeSingleFlight(open: () => Promise<TokenStore>): void {
  const singleFlightOf = async (): Promise<{ store: TokenStore; flights: TokenSingleFlight }> => {
    const store = await open();
    const flights = store.singleFlight;
    if (flights === undefined) throw new Error('the store was said to offer singleFlight, but has none');
    return { store, flights };
  };
  const token = (accessToken: string) =>
    new TokenResponse({ accessToken, tokenType: 'Bearer', expiresIn: 300 });

  describe('singleFlight', () => {
    it('gives one holder per key, and its waiters the token it stores', async () => {
      const { store, flights } = await singleFlightOf();
      const key = uniqueKey('flight');
      const holder = await flights.claim(key);
      const waiter = await flights.claim(key);
      expect(holder.role).toBe('holder');
      expect(waiter.role).toBe('waiter');
      if (holder.role !== 'holder' || waiter.role !== 'waiter') return;
      const waited = waiter.wait();
      await holder.lease.fulfil(token(canaryToken));
      const outcome = await waited;
      expect(outcome.kind).toBe('token');
      expect(outcome.kind === 'token' ? outcome.token.accessToken : undefined).toBe(canaryToken);
      expect((await store.get(key))?.accessToken).toBe(canaryToken);
      // The lease ended with the outcome: the next claim holds the key.
      expect((await flights.claim(key)).role).toBe('holder');
    });

    it('keeps keys apart', async () => {
      const { flights } = await singleFlightOf();
      expect((await flights.claim(uniqueKey('one'))).role).toBe('holder');
      expect((await flights.claim(uniqueKey('two'))).role).toBe('holder');
    });

    it("gives the waiters the holder's failure, its typed fields and nothing else", async () => {
      const { store, flights } = await singleFlightOf();
      const key = uniqueKey('failure');
      const holder = await flights.claim(key);
      const waiter = await flights.claim(key);
      if (holder.role !== 'holder' || waiter.role !== 'waiter')
        throw new Error('expected a holder and a waiter');
      const waited = waiter.wait();
      const failure = { status: 429, oauthError: 'slow_down', vendorCode: 'E0000047', retryAfterSeconds: 7 };
      // A careless caller may hand over more than the typed fields: none of it may cross processes.
      await holder.lease.fail({ ...failure, message: canaryAssertion } as typeof failure);
      const outcome = await waited;
      expect(outcome).toEqual({ kind: 'failed', failure });
      expect(JSON.stringify(outcome)).not.toContain(canaryAssertion);
      await expect(store.get(key)).resolves.toBeUndefined();
      expect((await flights.claim(key)).role).toBe('holder');
    });

    it('sends the waiters back to claim when the holder releases without an outcome', async () => {
      const { flights } = await singleFlightOf();
      const key = uniqueKey('release');
      const holder = await flights.claim(key);
      const waiter = await flights.claim(key);
      if (holder.role !== 'holder' || waiter.role !== 'waiter')
        throw new Error('expected a holder and a waiter');
      const waited = waiter.wait();
      await holder.lease.release();
      await expect(waited).resolves.toEqual({ kind: 'abandoned' });
      expect((await flights.claim(key)).role).toBe('holder');
    });

    it('lets a settled lease end nothing more: its successor keeps the key', async () => {
      const { flights } = await singleFlightOf();
      const key = uniqueKey('fenced');
      const first = await flights.claim(key);
      if (first.role !== 'holder') throw new Error('expected a holder');
      await first.lease.fulfil(token('first'));
      const second = await flights.claim(key);
      expect(second.role).toBe('holder');
      await first.lease.release();
      await first.lease.fail({ status: 500 });
      expect((await flights.claim(key)).role).toBe('waiter');
      if (second.role === 'holder') await second.lease.release();
    });
  });
}
