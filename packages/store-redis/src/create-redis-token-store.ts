import {
  type Clock,
  summarizeError,
  systemClock,
  type TokenResponse,
  type TokenStore,
  TokenStoreError,
} from '@dual-auth/core';
import type { Redis } from 'ioredis';
import { openRedisConnection } from './internal/redis-connection.ts';
import { createRedisSingleFlight } from './internal/redis-single-flight.ts';
import { decodeStoredToken, encodeStoredToken } from './internal/stored-token.ts';
import type { RedisConnectionOptions } from './redis-connection-options.ts';

/**
 * Options of {@link createRedisTokenStore}.
 *
 * @example
 * ```ts
 * const options: RedisTokenStoreOptions = { client: redis, keyPrefix: 'finance-agent:token:' };
 * ```
 */
export interface RedisTokenStoreOptions extends RedisConnectionOptions {
  /** Prefix of every key (default `dual-auth:token:`), and of the lease keys and the pub/sub channel. */
  readonly keyPrefix?: string;
  readonly clock?: Clock;
  /**
   * Share each token request across every process using this Redis (default `true`): one replica
   * asks the IdP for a key, the others wait for its token or its failure.
   */
  readonly singleFlight?: boolean;
  /**
   * Lifetime of a request lease, ms (default 5,000). Its holder renews it every third of that;
   * when the holder dies, a waiter takes over within this time.
   */
  readonly leaseMs?: number;
  /** Longest a waiter waits for another process's request before asking the IdP itself, ms (default 30,000). */
  readonly maxWaitMs?: number;
}

/**
 * A {@link TokenStore} on Redis, with `close()` for the connections it opened itself (its pub/sub
 * connection always is).
 *
 * @example
 * ```ts
 * const tokenStore: RedisTokenStore = createRedisTokenStore({ url });
 * const cache = createTokenCache({ store: tokenStore });
 * ```
 */
export type RedisTokenStore = TokenStore & { close(): Promise<void> };

/**
 * A {@link TokenStore} shared by every agent replica, so a burst across replicas costs one IdP
 * request per key: its `singleFlight` gives one process at a time a lease on a key (`SET NX PX`
 * with a random owner, renewed while held, released by a fenced compare-and-delete) and wakes the
 * others over pub/sub when the token is stored or the request failed (the failure's typed fields
 * only). Each token is stored as explicit JSON fields (access token, type, lifetime, expiry,
 * scopes, act assertion) with a `PX` expiry at the token's own expiry; keys are the cache's
 * hashes, so no key names a human. Tokens are bearer credentials: use TLS (`rediss://`) and Redis
 * ACLs. Failures reject with `TokenStoreError` (`ERR_TOKEN_STORE`); the client's token cache then
 * warns and falls back to the IdP.
 *
 * @example
 * ```ts
 * const cache = createTokenCache({ store: createRedisTokenStore({ url: process.env.REDIS_URL }) });
 * const tokenRequest = new InSessionTokenRequest({ adapter, cache });
 * ```
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): RedisTokenStore {
  const connection = openRedisConnection(options, 'createRedisTokenStore');
  const keyPrefix = options.keyPrefix ?? 'dual-auth:token:';
  if (typeof keyPrefix !== 'string') throw new TypeError('createRedisTokenStore: keyPrefix must be a string');
  const clock = options.clock ?? systemClock;
  const leaseMs = boundedMs(options.leaseMs, 5_000, 100, 600_000, 'leaseMs');
  const maxWaitMs = boundedMs(options.maxWaitMs, 30_000, 1, 600_000, 'maxWaitMs');
  if (options.singleFlight !== undefined && typeof options.singleFlight !== 'boolean') {
    throw new TypeError('createRedisTokenStore: singleFlight must be a boolean');
  }
  const run = async <T>(what: string, command: (client: Redis) => Promise<T>): Promise<T> => {
    try {
      return await connection.run(command);
    } catch (error) {
      throw new TokenStoreError(`Redis token store unavailable (${what})`, {
        cause: summarizeError(error),
      });
    }
  };
  const singleFlight =
    options.singleFlight === false
      ? undefined
      : createRedisSingleFlight({ connection, keyPrefix, leaseMs, maxWaitMs, clock, run });
  return Object.freeze({
    async get(key: string) {
      const text = await run('get', (client) => client.get(`${keyPrefix}${key}`));
      return text === null ? undefined : decodeStoredToken(text);
    },
    async set(key: string, token: TokenResponse) {
      const stored = encodeStoredToken(token, clock());
      if (stored === undefined) {
        await run('delete', (client) => client.del(`${keyPrefix}${key}`));
        return;
      }
      await run('set', (client) => client.set(`${keyPrefix}${key}`, stored.text, 'PX', stored.ttlMs));
    },
    async delete(key: string) {
      await run('delete', (client) => client.del(`${keyPrefix}${key}`));
    },
    ...(singleFlight === undefined ? {} : { singleFlight }),
    async close() {
      singleFlight?.close();
      await connection.close();
    },
  });
}

function boundedMs(
  value: number | undefined,
  fallback: number,
  lowest: number,
  highest: number,
  name: string,
) {
  const ms = value ?? fallback;
  if (!Number.isFinite(ms) || ms < lowest || ms > highest) {
    throw new TypeError(`createRedisTokenStore: ${name} must be between ${lowest} and ${highest} ms`);
  }
  return ms;
}
