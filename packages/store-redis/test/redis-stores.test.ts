import { randomUUID } from 'node:crypto';
import { ReplayError, TokenResponse, TokenStoreError } from '@dual-auth/core';
import { describeReplayStore, describeTokenStore } from '@dual-auth/testkit/conformance';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisReplayStore, createRedisTokenStore } from '../src/index.ts';
import { REDIS_SERVER, type RunningRedis, redisAvailable, startRedis } from './redis-server.ts';

describe('redis-server availability', () => {
  // npm test provisions redis-server (tools/provision), so a missing one fails instead of skipping.
  it('is installed', () => {
    if (!redisAvailable)
      expect.fail(
        `${REDIS_SERVER} is missing: \`npm test\` installs it as root, or apt-get install redis-server`,
      );
  });
});

describe.skipIf(!redisAvailable)('Redis stores', () => {
  let redis: RunningRedis;
  let client: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  describeReplayStore('redis', () => createRedisReplayStore({ client, keyPrefix: `test:${randomUUID()}:` }));
  describeReplayStore('redis (own connection)', () => createRedisReplayStore({ url: redis.url }));
  describeTokenStore('redis', () => createRedisTokenStore({ client, keyPrefix: `test:${randomUUID()}:` }), {
    singleFlight: true,
  });
  describeTokenStore('redis (own connection)', () => createRedisTokenStore({ url: redis.url }), {
    singleFlight: true,
  });

  it('records a jti with SET NX PX: the key carries the remaining lifetime', async () => {
    const store = createRedisReplayStore({ client, keyPrefix: 'ttl-check:' });
    await store.useOnce('jti-1', Date.now() + 60_000);
    const ttl = await client.pttl('ttl-check:jti-1');
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await client.get('ttl-check:jti-1')).toBe('1');
  });

  it('stores tokens as explicit fields with a PX expiry at the token expiry', async () => {
    const store = createRedisTokenStore({ client, keyPrefix: 'token-check:' });
    const token = new TokenResponse({
      accessToken: 'at',
      tokenType: 'Bearer',
      expiresIn: 120,
      scope: ['a'],
      actAssertion: 'aa',
    });
    await store.set('k', token);
    expect(JSON.parse((await client.get('token-check:k')) ?? '{}')).toEqual({
      accessToken: 'at',
      tokenType: 'Bearer',
      expiresIn: 120,
      expiresAt: token.expiresAt,
      scope: ['a'],
      actAssertion: 'aa',
    });
    expect(await client.pttl('token-check:k')).toBeGreaterThan(115_000);
    await client.set('token-check:corrupt', '{"accessToken":42}');
    await expect(store.get('corrupt')).resolves.toBeUndefined();
  });

  it('fails closed with store_unavailable when Redis goes down mid-run', async () => {
    const own = await startRedis();
    const replayStore = createRedisReplayStore({ url: own.url, commandTimeoutMs: 500 });
    const tokenStore = createRedisTokenStore({ url: own.url, commandTimeoutMs: 500 });
    try {
      await expect(replayStore.useOnce('before', Date.now() + 60_000)).resolves.toBe(true);
      await own.stop();
      const error = await replayStore
        .useOnce('after', Date.now() + 60_000)
        .catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(ReplayError);
      expect((error as ReplayError).reason).toBe('store_unavailable');
      for (const operation of [
        () => tokenStore.get('k'),
        () =>
          tokenStore.set('k', new TokenResponse({ accessToken: 'a', tokenType: 'Bearer', expiresIn: 60 })),
        () => tokenStore.delete('k'),
      ]) {
        const tokenError = await operation().catch((reason: unknown) => reason);
        expect(tokenError).toBeInstanceOf(TokenStoreError);
        expect(tokenError).toMatchObject({ code: 'ERR_TOKEN_STORE' });
      }
    } finally {
      await replayStore.close();
      await tokenStore.close();
      await own.stop();
    }
  });

  it('fails closed when Redis was never reachable', async () => {
    const stopped = await startRedis();
    await stopped.stop();
    const store = createRedisReplayStore({ url: stopped.url, commandTimeoutMs: 300 });
    try {
      await expect(store.useOnce('x', Date.now() + 60_000)).rejects.toMatchObject({
        code: 'ERR_REPLAY',
        reason: 'store_unavailable',
      });
    } finally {
      await store.close();
    }
  });

  it('rejects misuse with TypeError', () => {
    expect(() => createRedisReplayStore({})).toThrow(TypeError);
    expect(() => createRedisReplayStore({ client, url: redis.url })).toThrow(TypeError);
    expect(() => createRedisReplayStore({ url: 'redis://redis.example.com:6379' })).toThrow(TypeError);
    expect(() => createRedisReplayStore({ url: 'http://127.0.0.1:6379' })).toThrow(TypeError);
    expect(() => createRedisTokenStore({ client, commandTimeoutMs: 0 })).toThrow(TypeError);
    expect(() => createRedisTokenStore({ client, leaseMs: 10 })).toThrow(TypeError);
    expect(() => createRedisTokenStore({ client, maxWaitMs: Number.NaN })).toThrow(TypeError);
    expect(() => createRedisTokenStore({ client, singleFlight: 'yes' as unknown as boolean })).toThrow(
      TypeError,
    );
    expect(createRedisTokenStore({ client, singleFlight: false }).singleFlight).toBeUndefined();
  });
});
