import { isLoopbackHost } from '@dual-auth/core';
import { Redis } from 'ioredis';
import type { RedisConnectionOptions } from '../redis-connection-options.ts';

/** The Redis client a store uses, a bounded `run`, and `close`. */
export interface RedisConnection {
  run<T>(command: (client: Redis) => Promise<T>): Promise<T>;
  /** `pending`, or a rejection once the command timeout passes. */
  bounded<T>(pending: Promise<T>): Promise<T>;
  /**
   * A second connection with the same settings, for pub/sub (a subscribed connection runs no
   * other command). The store owns it, and `close` disconnects it, even when `client` was given.
   */
  subscriber(): Redis;
  close(): Promise<void>;
}

/**
 * Resolves the connection options of a Redis store. Misuse (both or neither of `client` and `url`,
 * a plaintext URL to a remote host) is a `TypeError`. Every command is bounded by a timeout, so a
 * Redis that is down or unreachable fails fast instead of queueing.
 */
export function openRedisConnection(options: RedisConnectionOptions, storeName: string): RedisConnection {
  if (options === null || typeof options !== 'object')
    throw new TypeError(`${storeName}: options are required`);
  const commandTimeoutMs = options.commandTimeoutMs ?? 2_000;
  if (!Number.isFinite(commandTimeoutMs) || commandTimeoutMs <= 0 || commandTimeoutMs > 60_000) {
    throw new TypeError(`${storeName}: commandTimeoutMs must be between 1 and 60000`);
  }
  if ((options.client === undefined) === (options.url === undefined)) {
    throw new TypeError(`${storeName}: give exactly one of client or url`);
  }
  let client: Redis;
  let owned = false;
  if (options.url !== undefined) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new TypeError(`${storeName}: url is not a redis:// or rediss:// URL`);
    }
    if (url.protocol !== 'rediss:' && url.protocol !== 'redis:') {
      throw new TypeError(`${storeName}: url must use redis:// or rediss://`);
    }
    if (url.protocol === 'redis:' && !isLoopbackHost(url.hostname) && options.allowPlaintext !== true) {
      throw new TypeError(
        `${storeName}: url must use rediss:// (TLS) for a remote host, or set allowPlaintext`,
      );
    }
    client = new Redis(options.url, {
      commandTimeout: commandTimeoutMs,
      maxRetriesPerRequest: 1,
      connectTimeout: commandTimeoutMs,
    });
    // Connection errors surface through the commands that fail; an unhandled 'error' event would crash the process.
    client.on('error', () => undefined);
    owned = true;
  } else {
    client = options.client as Redis;
    if (typeof client.set !== 'function')
      throw new TypeError(`${storeName}: client must be an ioredis client`);
  }

  let subscriber: Redis | undefined;
  const bounded = async <T>(pending: Promise<T>): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('Redis command timed out')), commandTimeoutMs);
    });
    try {
      return await Promise.race([pending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    run: async (command) => bounded(command(client)),
    bounded,
    subscriber() {
      if (subscriber === undefined) {
        subscriber = client.duplicate();
        subscriber.on('error', () => undefined);
      }
      return subscriber;
    },
    async close() {
      subscriber?.disconnect();
      if (owned) client.disconnect();
    },
  };
}
