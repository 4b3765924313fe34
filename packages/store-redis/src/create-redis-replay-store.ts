import { type Clock, ReplayError, type ReplayStore, summarizeError, systemClock } from '@dual-auth/core';
import { openRedisConnection } from './internal/redis-connection.ts';
import type { RedisConnectionOptions } from './redis-connection-options.ts';

/**
 * Options of {@link createRedisReplayStore}.
 *
 * @example
 * ```ts
 * const options: RedisReplayStoreOptions = { url: 'rediss://redis.internal:6380', keyPrefix: 'finance-agent:replay:' };
 * ```
 */
export interface RedisReplayStoreOptions extends RedisConnectionOptions {
  /** Prefix of every key (default `dual-auth:replay:`). */
  readonly keyPrefix?: string;
  readonly clock?: Clock;
}

/**
 * A {@link ReplayStore} on Redis, with `close()` for a connection it opened itself.
 *
 * @example
 * ```ts
 * const replayStore: RedisReplayStore = createRedisReplayStore({ url });
 * process.on('SIGTERM', () => void replayStore.close());
 * ```
 */
export type RedisReplayStore = ReplayStore & { close(): Promise<void> };

/**
 * A {@link ReplayStore} shared by every agent replica: each id is recorded with one atomic
 * `SET key 1 NX PX ttl`, so exactly one replica wins a race, and Redis forgets the id when the JWT
 * expires. When Redis cannot answer, `useOnce` rejects with `ReplayError('store_unavailable')`:
 * dual-auth fails closed rather than accept a JWT it cannot record.
 *
 * @example
 * ```ts
 * const replayStore = createRedisReplayStore({ url: process.env.REDIS_URL, keyPrefix: 'finance-agent:replay:' });
 * const tokenRequest = new OutOfSessionTokenRequest({ adapter, jwksUri, issuer, audience, replayStore });
 * ```
 */
export function createRedisReplayStore(options: RedisReplayStoreOptions): RedisReplayStore {
  const connection = openRedisConnection(options, 'createRedisReplayStore');
  const keyPrefix = options.keyPrefix ?? 'dual-auth:replay:';
  if (typeof keyPrefix !== 'string')
    throw new TypeError('createRedisReplayStore: keyPrefix must be a string');
  const clock = options.clock ?? systemClock;
  return Object.freeze({
    async useOnce(id: string, expiresAt: number) {
      if (typeof id !== 'string' || id.length === 0) throw new TypeError('id must be a non-empty string');
      if (!Number.isFinite(expiresAt)) throw new TypeError('expiresAt must be epoch milliseconds');
      const ttlMs = Math.ceil(expiresAt - clock());
      // Already expired: nothing is left to protect.
      if (ttlMs <= 0) return true;
      let result: string | null;
      try {
        result = await connection.run((client) => client.set(`${keyPrefix}${id}`, '1', 'PX', ttlMs, 'NX'));
      } catch (error) {
        throw new ReplayError(
          'store_unavailable',
          'Redis replay store unavailable; refusing rather than risking a replay',
          {
            cause: summarizeError(error),
          },
        );
      }
      return result === 'OK';
    },
    close: () => connection.close(),
  });
}
