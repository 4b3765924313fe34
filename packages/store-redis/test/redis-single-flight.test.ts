import { randomUUID } from 'node:crypto';
import { TokenResponse, TokenStoreError } from '@dual-auth/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisTokenStore, type RedisTokenStore } from '../src/index.ts';
import { type RunningRedis, redisAvailable, startRedis } from './redis-server.ts';

const canaryToken = 'canary-access-token-77c1d9';

describe.skipIf(!redisAvailable)('the Redis token store lease, as Redis sees it', () => {
  let redis: RunningRedis;
  let client: Redis;
  const stores: RedisTokenStore[] = [];
  const openStore = (options: { leaseMs?: number; maxWaitMs?: number } = {}) => {
    const keyPrefix = `lease:${randomUUID()}:`;
    const store = createRedisTokenStore({ client, keyPrefix, ...options });
    stores.push(store);
    const flights = store.singleFlight;
    if (flights === undefined) throw new Error('the Redis token store offers singleFlight by default');
    return { store, flights, keyPrefix };
  };
  const claimHolder = async (flights: NonNullable<RedisTokenStore['singleFlight']>, key: string) => {
    const claim = await flights.claim(key);
    if (claim.role !== 'holder') throw new Error('expected to hold the lease');
    return claim.lease;
  };

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    client?.disconnect();
    await redis?.stop();
  });

  it('takes the lease with SET NX PX and a random owner, renewed while held', async () => {
    const { flights, keyPrefix } = openStore({ leaseMs: 600 });
    const lease = await claimHolder(flights, 'token:v1:abc');
    const owner = await client.get(`${keyPrefix}lease:token:v1:abc`);
    expect(owner).toMatch(/^[0-9a-f-]{36}$/);
    expect(await client.pttl(`${keyPrefix}lease:token:v1:abc`)).toBeLessThanOrEqual(600);
    // Two lease lifetimes later the holder (alive) still has it: it renews every third.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await client.get(`${keyPrefix}lease:token:v1:abc`)).toBe(owner);
    await lease.release();
    expect(await client.exists(`${keyPrefix}lease:token:v1:abc`)).toBe(0);
  });

  it('ends only its own lease: a holder whose lease was taken over leaves the new owner in place', async () => {
    const { store, flights, keyPrefix } = openStore();
    const lease = await claimHolder(flights, 'k');
    // As when the lease expired during a pause and another process took it.
    await client.set(`${keyPrefix}lease:k`, 'another-owner', 'PX', 60_000);
    await lease.fulfil(new TokenResponse({ accessToken: canaryToken, tokenType: 'Bearer', expiresIn: 60 }));
    expect(await client.get(`${keyPrefix}lease:k`)).toBe('another-owner');
    // The token it got is still stored: it is a good token for the key.
    expect((await store.get('k'))?.accessToken).toBe(canaryToken);
  });

  it('a waiter of a dead holder sees the lease end within leaseMs, and a waiter times out after maxWaitMs', async () => {
    const { flights, keyPrefix } = openStore({ leaseMs: 300, maxWaitMs: 5_000 });
    // A holder that died: its lease is a key nobody renews.
    await client.set(`${keyPrefix}lease:dead`, 'dead-owner', 'PX', 300);
    const waiter = await flights.claim('dead');
    if (waiter.role !== 'waiter') throw new Error('expected to wait');
    const started = performance.now();
    await expect(waiter.wait()).resolves.toEqual({ kind: 'abandoned' });
    expect(performance.now() - started).toBeLessThan(300 + 1_000);

    const impatient = openStore({ maxWaitMs: 250 });
    await client.set(`${impatient.keyPrefix}lease:slow`, 'slow-owner', 'PX', 60_000);
    const slow = await impatient.flights.claim('slow');
    if (slow.role !== 'waiter') throw new Error('expected to wait');
    const waitStarted = performance.now();
    await expect(slow.wait()).resolves.toEqual({ kind: 'timed_out' });
    expect(performance.now() - waitStarted).toBeLessThan(250 + 1_000);
  });

  it('publishes only the hashed key, and stores no secret outside the token itself', async () => {
    const { flights, keyPrefix } = openStore();
    const listener = client.duplicate();
    const messages: string[] = [];
    listener.on('message', (_channel: string, message: string) => messages.push(message));
    await listener.subscribe(`${keyPrefix}flights`);
    try {
      const key = 'token:v1:hash-of-the-material';
      const holder = await claimHolder(flights, key);
      await holder.fulfil(
        new TokenResponse({
          accessToken: canaryToken,
          tokenType: 'Bearer',
          expiresIn: 60,
          actAssertion: 'canary-aa',
        }),
      );
      const failing = await claimHolder(flights, 'token:v1:other');
      await failing.fail({ status: 401, oauthError: 'invalid_client' });
      for (let attempt = 0; attempt < 50 && messages.length < 2; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(messages).toEqual([key, 'token:v1:other']);
      const keys = await client.keys(`${keyPrefix}*`);
      for (const name of keys.filter((candidate) => candidate !== `${keyPrefix}${key}`)) {
        const value = (await client.get(name)) ?? '';
        expect(value).not.toContain(canaryToken);
        expect(value).not.toContain('canary-aa');
      }
    } finally {
      listener.disconnect();
    }
  });

  it('keeps waiting through a poll that times out (a Redis paused for a moment)', async () => {
    const store = createRedisTokenStore({
      client,
      keyPrefix: `pause:${randomUUID()}:`,
      commandTimeoutMs: 300,
    });
    stores.push(store);
    const flights = store.singleFlight;
    if (flights === undefined) throw new Error('expected singleFlight');
    const lease = await claimHolder(flights, 'k');
    const waiter = await flights.claim('k');
    if (waiter.role !== 'waiter') throw new Error('expected to wait');
    const waited = waiter.wait();
    await new Promise((resolve) => setTimeout(resolve, 30));
    // Every client's commands stall for 500 ms: at least one poll of the waiter times out.
    const control = client.duplicate();
    try {
      await control.call('CLIENT', 'PAUSE', '500');
    } finally {
      control.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 700));
    await lease.fulfil(new TokenResponse({ accessToken: canaryToken, tokenType: 'Bearer', expiresIn: 60 }));
    await expect(waited).resolves.toMatchObject({ kind: 'token', token: { accessToken: canaryToken } });
  });

  it('rejects with TokenStoreError when Redis is down, so the cache can fall back', async () => {
    const own = await startRedis();
    const store = createRedisTokenStore({ url: own.url, commandTimeoutMs: 300 });
    try {
      await own.stop();
      const error = await store.singleFlight?.claim('k').catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(TokenStoreError);
    } finally {
      await store.close();
    }
  });
});
