import { isDualAuthError, type ReplayStore } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { openPerTest, uniqueName } from './internal/open-per-test.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const uniqueId = uniqueName;

/**
 * The conformance suite every `ReplayStore` runs: first use, replay, expiry, concurrent use of one
 * id (exactly one winner), many ids, and awkward ids. It uses the real clock with short lifetimes,
 * so it runs unchanged against in-memory and networked stores. `createStore` is called once per
 * test; a `close()` on the returned store is called after it.
 *
 * @example
 * ```ts
 * describeReplayStore('memory', () => createMemoryReplayStore());
 * describeReplayStore('redis', () => createRedisReplayStore({ client, keyPrefix: `test:${randomUUID()}:` }));
 * ```
 */
export function describeReplayStore(
  name: string,
  createStore: () => ReplayStore | Promise<ReplayStore>,
): void {
  describe(`ReplayStore conformance: ${name}`, () => {
    const open = openPerTest(createStore);

    it('accepts an id the first time and refuses it while it is live', async () => {
      const store = await open();
      const id = uniqueId('first');
      await expect(store.useOnce(id, Date.now() + 60_000)).resolves.toBe(true);
      await expect(store.useOnce(id, Date.now() + 60_000)).resolves.toBe(false);
      await expect(store.useOnce(id, Date.now() + 120_000)).resolves.toBe(false);
    });

    it('keeps ids apart', async () => {
      const store = await open();
      const a = uniqueId('a');
      const b = uniqueId('b');
      await expect(store.useOnce(a, Date.now() + 60_000)).resolves.toBe(true);
      await expect(store.useOnce(b, Date.now() + 60_000)).resolves.toBe(true);
      await expect(store.useOnce(a, Date.now() + 60_000)).resolves.toBe(false);
    });

    it('forgets an id once it has expired', async () => {
      const store = await open();
      const id = uniqueId('expiry');
      await expect(store.useOnce(id, Date.now() + 150)).resolves.toBe(true);
      await expect(store.useOnce(id, Date.now() + 60_000)).resolves.toBe(false);
      await sleep(400);
      await expect(store.useOnce(id, Date.now() + 60_000)).resolves.toBe(true);
    });

    it('lets exactly one of many concurrent uses of one id win', async () => {
      const store = await open();
      const id = uniqueId('race');
      const results = await Promise.all(
        Array.from({ length: 50 }, () => store.useOnce(id, Date.now() + 60_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('records many distinct ids, each once', async () => {
      const store = await open();
      const ids = Array.from({ length: 500 }, (_, index) => uniqueId(`many-${index}`));
      const expiresAt = Date.now() + 60_000;
      const first = await Promise.all(ids.map((id) => store.useOnce(id, expiresAt)));
      expect(first.every((result) => result === true)).toBe(true);
      const second = await Promise.all(ids.map((id) => store.useOnce(id, expiresAt)));
      expect(second.some((result) => result === true)).toBe(false);
    });

    it('handles ids with separators, unicode and 512 characters', async () => {
      const store = await open();
      const ids = [
        `${uniqueId('url')}https://app.example.com/#jti:1`,
        `${uniqueId('unicode')}-ünïcødé-✓`,
        `${uniqueId('long')}${'x'.repeat(512)}`,
      ];
      for (const id of ids) await expect(store.useOnce(id, Date.now() + 60_000)).resolves.toBe(true);
      for (const id of ids) await expect(store.useOnce(id, Date.now() + 60_000)).resolves.toBe(false);
    });

    it('fails, if at all, only with a ReplayError', async () => {
      const store = await open();
      const outcome = await store.useOnce(uniqueId('typed'), Date.now() + 60_000).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      if ('error' in outcome) expect(isDualAuthError(outcome.error, 'ERR_REPLAY')).toBe(true);
      else expect(outcome.value).toBe(true);
    });
  });
}
