import { createManualClock, TokenRequestError, type TokenStore, TokenStoreError } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { createCountingAdapter } from '../test/counting-adapter.ts';
import { createSharedMemoryStore } from '../test/memory-single-flight.ts';
import { createTokenCache } from './create-token-cache.ts';
import { tokenCacheKey } from './internal/token-cache-key.ts';

const alice = { sub: 'user-alice' };
const bob = { sub: 'user-bob' };

describe('createTokenCache', () => {
  it('makes one adapter call for 100 concurrent misses of one key', async () => {
    const { adapter, calls } = createCountingAdapter({ delayMs: 20 });
    const cache = createTokenCache();
    const tokens = await Promise.all(
      Array.from({ length: 100 }, () =>
        cache.requestToken(adapter, { agentId: 'agent-1', act: alice, scope: ['read'] }),
      ),
    );
    expect(calls).toHaveLength(1);
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
  });

  it('serves from cache afterwards, and treats scope order and duplicates as the same key', async () => {
    const { adapter, calls } = createCountingAdapter();
    const cache = createTokenCache();
    await cache.requestToken(adapter, { agentId: 'agent-1', act: alice, scope: ['b', 'a'] });
    await cache.requestToken(adapter, { agentId: 'agent-1', act: alice, scope: ['a', 'b', 'a'] });
    expect(calls).toHaveLength(1);
  });

  it('never shares a token across humans, agents, scopes, intents or IdPs', async () => {
    const { adapter, calls } = createCountingAdapter();
    const other = createCountingAdapter();
    const otherIdp = { ...other.adapter, tokenEndpoint: 'https://127.0.0.1/other/token' };
    const cache = createTokenCache();
    const base = { agentId: 'agent-1', act: alice, scope: ['read'] };
    const results = [
      await cache.requestToken(adapter, base),
      await cache.requestToken(adapter, { ...base, act: bob }),
      await cache.requestToken(adapter, { ...base, agentId: 'agent-2' }),
      await cache.requestToken(adapter, { ...base, scope: ['write'] }),
      await cache.requestToken(adapter, {
        ...base,
        delegation: { method: 'explicit', grantedAt: 1, intentSummary: 'another task' },
      }),
      await cache.requestToken(otherIdp, base),
    ];
    expect(calls.length + other.calls.length).toBe(6);
    expect(results[1]?.accessToken).toContain('user-bob');
    expect(results[0]?.accessToken).toContain('user-alice');
    expect(new Set(results.slice(0, 5).map((token) => token.accessToken)).size).toBe(5);
    expect(other.calls).toHaveLength(1);
  });

  it('delivers a failure to every waiter and does not cache it', async () => {
    const { adapter, calls, state } = createCountingAdapter({ delayMs: 10 });
    state.failNext = 1;
    const cache = createTokenCache();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => cache.requestToken(adapter, { agentId: 'agent-1', act: alice })),
    );
    expect(calls).toHaveLength(1);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as TokenRequestError;
      expect(reason).toBeInstanceOf(TokenRequestError);
      expect(reason.oauthError).toBe('invalid_client');
    }
    const token = await cache.requestToken(adapter, { agentId: 'agent-1', act: alice });
    expect(calls).toHaveLength(2);
    expect(token.accessToken).toBe('token-2-agent-1-user-alice');
  });

  it('renews a token refreshMarginSeconds before it expires', async () => {
    const clock = createManualClock(1_000_000);
    const { adapter, calls } = createCountingAdapter({ expiresIn: 300, now: clock.now });
    const cache = createTokenCache({ clock: clock.now, refreshMarginSeconds: 60 });
    const params = { agentId: 'agent-1', act: alice };
    await cache.requestToken(adapter, params);
    clock.advance(239_000);
    await cache.requestToken(adapter, params);
    expect(calls).toHaveLength(1);
    clock.advance(2_000);
    const renewed = await cache.requestToken(adapter, params);
    expect(calls).toHaveLength(2);
    expect(renewed.accessToken).toBe('token-2-agent-1-user-alice');
  });

  it('keys tokens by the delegation expiry too', async () => {
    const { adapter, calls } = createCountingAdapter();
    const cache = createTokenCache();
    const base = { agentId: 'agent-1', act: alice };
    const delegation = { method: 'explicit' as const, grantedAt: 1, intentSummary: 'task' };
    await cache.requestToken(adapter, { ...base, delegation: { ...delegation, expiresAt: 4_000_000_000 } });
    await cache.requestToken(adapter, { ...base, delegation: { ...delegation, expiresAt: 4_000_000_100 } });
    await cache.requestToken(adapter, { ...base, delegation });
    expect(calls).toHaveLength(3);
    await cache.requestToken(adapter, { ...base, delegation: { ...delegation, expiresAt: 4_000_000_000 } });
    expect(calls).toHaveLength(3);
  });

  it('does not serve a cached token once the delegation ends within the refresh margin', async () => {
    const clock = createManualClock(1_000_000_000);
    const { adapter, calls } = createCountingAdapter({ expiresIn: 300, now: clock.now });
    const cache = createTokenCache({ clock: clock.now, refreshMarginSeconds: 60 });
    const params = {
      agentId: 'agent-1',
      act: alice,
      delegation: { method: 'explicit' as const, grantedAt: 999_000, expiresAt: 1_000_100 },
    };
    await cache.requestToken(adapter, params);
    clock.advance(39_000);
    await cache.requestToken(adapter, params);
    expect(calls).toHaveLength(1);
    // 41 s later the delegation ends in 59 s, inside the 60 s margin, though the token has 259 s left.
    clock.advance(2_000);
    const renewed = await cache.requestToken(adapter, params);
    expect(calls).toHaveLength(2);
    expect(renewed.accessToken).toBe('token-2-agent-1-user-alice');
  });

  it('invalidate forgets one token', async () => {
    const { adapter, calls } = createCountingAdapter();
    const cache = createTokenCache();
    const params = { agentId: 'agent-1', act: alice };
    await cache.requestToken(adapter, params);
    await cache.invalidate(adapter, params);
    await cache.requestToken(adapter, params);
    expect(calls).toHaveLength(2);
  });

  it('lets one caller abort without failing the others or the shared request', async () => {
    const { adapter, calls } = createCountingAdapter({ delayMs: 30 });
    const cache = createTokenCache();
    const controller = new AbortController();
    const aborted = cache.requestToken(adapter, {
      agentId: 'agent-1',
      act: alice,
      signal: controller.signal,
    });
    const waiting = cache.requestToken(adapter, { agentId: 'agent-1', act: alice });
    controller.abort(new Error('caller gave up'));
    await expect(aborted).rejects.toThrow('caller gave up');
    await expect(waiting).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.signal).toBeUndefined();
  });

  it('falls back to the IdP when the store fails, and never serves a wrong token', async () => {
    const { adapter, calls } = createCountingAdapter();
    const warnings: string[] = [];
    const brokenStore: TokenStore = {
      get: async () => {
        throw new Error('store down');
      },
      set: async () => {
        throw new Error('store down');
      },
      delete: async () => undefined,
    };
    const cache = createTokenCache({
      store: brokenStore,
      logger: { debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} },
    });
    const token = await cache.requestToken(adapter, { agentId: 'agent-1', act: alice });
    expect(token.accessToken).toBe('token-1-agent-1-user-alice');
    expect(calls).toHaveLength(1);
    expect(warnings).toEqual([
      'token store read failed; requesting a new token',
      'token store write failed; token served uncached',
    ]);
  });

  it('invalidate warns and resolves when the store fails, as the TSDoc promises', async () => {
    const { adapter } = createCountingAdapter();
    const warnings: Array<[string, unknown]> = [];
    const brokenStore: TokenStore = {
      get: async () => undefined,
      set: async () => undefined,
      delete: async () => {
        throw new TokenStoreError('token store unavailable (delete)');
      },
    };
    const cache = createTokenCache({
      store: brokenStore,
      logger: {
        debug() {},
        info() {},
        warn: (message, fields) => warnings.push([message, fields]),
        error() {},
      },
    });
    await expect(cache.invalidate(adapter, { agentId: 'agent-1', act: alice })).resolves.toBeUndefined();
    expect(warnings).toEqual([
      ['token store delete failed; the token may be served again', { error: 'ERR_TOKEN_STORE' }],
    ]);
  });

  it('rejects misuse with TypeError', () => {
    expect(() => createTokenCache({ refreshMarginSeconds: -1 })).toThrow(TypeError);
    expect(() => createTokenCache({ clock: 5 as unknown as () => number })).toThrow(TypeError);
  });
});

describe('createTokenCache at scale (PERFORMANCE.md target 3, counted)', () => {
  it('answers 10,000 requests over 50 keys, 16 in flight, with exactly 50 adapter calls', async () => {
    const { adapter, calls } = createCountingAdapter({ delayMs: 2 });
    const cache = createTokenCache();
    const keys = Array.from({ length: 50 }, (_, index) => ({
      agentId: `agent-${index % 5}`,
      act: { sub: `user-${index % 10}` },
      scope: [`scope-${Math.floor(index / 10)}`],
    }));
    let next = 0;
    const worker = async () => {
      while (next < 10_000) {
        const params = keys[next++ % keys.length];
        if (params === undefined) throw new Error('no key');
        const token = await cache.requestToken(adapter, params);
        expect(token.accessToken).toContain(`${params.agentId}-${params.act.sub}`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(calls).toHaveLength(50);
  });
});

describe('createTokenCache with a store that offers singleFlight (several processes sharing it)', () => {
  const params = { agentId: 'agent-1', act: alice, scope: ['read'] };
  const capture = () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (message: string) => warnings.push(message), error() {} };
    return { warnings, logger };
  };

  it('makes one IdP request for a burst across three caches, the others wait for its token', async () => {
    const { store, counts } = createSharedMemoryStore();
    const replicas = Array.from({ length: 3 }, () => ({
      cache: createTokenCache({ store }),
      ...createCountingAdapter({ delayMs: 20 }),
    }));
    const tokens = await Promise.all(
      replicas.flatMap(({ cache, adapter }) =>
        Array.from({ length: 20 }, () => cache.requestToken(adapter, params)),
      ),
    );
    expect(replicas.reduce((total, { calls }) => total + calls.length, 0)).toBe(1);
    // One lease per key: the in-process single-flight still collapses each cache's burst first.
    expect(counts.holders).toBe(1);
    expect(new Set(tokens.map((token) => token.accessToken))).toEqual(
      new Set(['token-1-agent-1-user-alice']),
    );
  });

  it("fails every waiter with a TokenRequestError carrying the holder's typed fields, not its message", async () => {
    const { store } = createSharedMemoryStore();
    const holder = createCountingAdapter({ delayMs: 20 });
    holder.state.failNext = 1;
    const other = createCountingAdapter();
    const [first, second] = [createTokenCache({ store }), createTokenCache({ store })];
    const holding = first.requestToken(holder.adapter, params).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const waiting = await Promise.all(
      Array.from({ length: 5 }, () =>
        second.requestToken(other.adapter, params).catch((error: unknown) => error),
      ),
    );
    expect(await holding).toMatchObject({
      message: 'IdP refused the token request',
      oauthError: 'invalid_client',
    });
    expect(other.calls).toHaveLength(0);
    for (const error of waiting) {
      expect(error).toBeInstanceOf(TokenRequestError);
      expect(error).toMatchObject({ code: 'ERR_TOKEN_REQUEST', status: 400, oauthError: 'invalid_client' });
      expect((error as Error).message).toBe(
        'The token request another agent process made for this key failed: HTTP 400 invalid_client.',
      );
    }
    // Not cached: the next request asks again.
    await expect(second.requestToken(other.adapter, params)).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(other.calls).toHaveLength(1);
  });

  it('serves the token a holder stored just before this claim, without an IdP request', async () => {
    const { store, counts } = createSharedMemoryStore();
    const { adapter, calls } = createCountingAdapter();
    const cache = createTokenCache({ store });
    await cache.requestToken(adapter, params);
    // Another replica's cache missed on the store read, then claimed after the holder finished.
    const late = createTokenCache({
      store: {
        ...store,
        get: (() => {
          let reads = 0;
          return (key: string) => (reads++ === 0 ? Promise.resolve(undefined) : store.get(key));
        })(),
      },
    });
    await late.requestToken(adapter, params);
    expect(calls).toHaveLength(1);
    expect(counts.holders).toBe(2);
  });

  it('a holder that finds the token already stored hands it to its waiters, so they do not claim again', async () => {
    const { store, counts } = createSharedMemoryStore();
    const { adapter, calls } = createCountingAdapter();
    await createTokenCache({ store }).requestToken(adapter, params);
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    let reads = 0;
    // This replica's first read missed (the token was not stored yet); its read as holder waits for the gate.
    const late = createTokenCache({
      store: {
        ...store,
        get: async (key: string) => {
          reads++;
          if (reads === 1) return undefined;
          await gate;
          return store.get(key);
        },
      },
    });
    const pending = late.requestToken(adapter, params);
    for (let attempt = 0; attempt < 50 && reads < 2; attempt++)
      await new Promise((resolve) => setTimeout(resolve, 1));
    const waiter = await store.singleFlight?.claim(await keyOf(params));
    if (waiter?.role !== 'waiter') throw new Error('expected to wait for the late holder');
    const outcome = waiter.wait();
    openGate();
    await expect(outcome).resolves.toMatchObject({
      kind: 'token',
      token: { accessToken: 'token-1-agent-1-user-alice' },
    });
    await expect(pending).resolves.toMatchObject({ accessToken: 'token-1-agent-1-user-alice' });
    expect(calls).toHaveLength(1);
    expect(counts.holders).toBe(2);
  });

  it('asks the IdP itself, with a warning, when the lease cannot be taken', async () => {
    const { store } = createSharedMemoryStore();
    const { warnings, logger } = capture();
    const { adapter, calls } = createCountingAdapter();
    const broken: TokenStore = {
      ...store,
      singleFlight: {
        claim: async () => {
          throw new TokenStoreError('token store unavailable (claim lease)');
        },
      },
    };
    const token = await createTokenCache({ store: broken, logger }).requestToken(adapter, params);
    expect(token.accessToken).toBe('token-1-agent-1-user-alice');
    expect(calls).toHaveLength(1);
    expect(warnings).toEqual(['token store lease failed; requesting a token without it']);
  });

  it('asks the IdP itself, with a warning, once a wait times out', async () => {
    const { store } = createSharedMemoryStore({ maxWaitMs: 30 });
    const { warnings, logger } = capture();
    const stuck = await store.singleFlight?.claim(await keyOf(params));
    expect(stuck?.role).toBe('holder');
    const { adapter, calls } = createCountingAdapter();
    const token = await createTokenCache({ store, logger }).requestToken(adapter, params);
    expect(token.accessToken).toBe('token-1-agent-1-user-alice');
    expect(calls).toHaveLength(1);
    expect(warnings).toEqual(['another agent process took too long to request a token; requesting it here']);
  });

  it('claims again when a lease ends without an outcome (its holder died or released it)', async () => {
    const { store, counts } = createSharedMemoryStore();
    const claim = await store.singleFlight?.claim(await keyOf(params));
    if (claim?.role !== 'holder') throw new Error('expected a holder');
    const { adapter, calls } = createCountingAdapter();
    const pending = createTokenCache({ store }).requestToken(adapter, params);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await claim.lease.release();
    await expect(pending).resolves.toMatchObject({ accessToken: 'token-1-agent-1-user-alice' });
    expect(calls).toHaveLength(1);
    expect(counts.holders).toBe(2);
  });
});

async function keyOf(params: { agentId: string; act: { sub: string }; scope: string[] }): Promise<string> {
  return tokenCacheKey(createCountingAdapter().adapter, params);
}
