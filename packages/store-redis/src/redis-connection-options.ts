import type { Redis } from 'ioredis';

/**
 * How a Redis store reaches Redis: a client the caller owns, or a URL the store connects to itself.
 *
 * @example
 * ```ts
 * const options: RedisConnectionOptions = { url: 'rediss://redis.internal:6380', commandTimeoutMs: 1_000 };
 * ```
 */
export interface RedisConnectionOptions {
  /** An ioredis client you created (and close yourself). */
  readonly client?: Redis;
  /** `rediss://…` (TLS), or `redis://…` on a loopback host. The store owns this connection. */
  readonly url?: string;
  /** Allow `redis://` (no TLS) to a non-loopback host, e.g. inside a private network you trust. */
  readonly allowPlaintext?: boolean;
  /** Longest wait for one Redis command, ms (default 2,000). */
  readonly commandTimeoutMs?: number;
}
