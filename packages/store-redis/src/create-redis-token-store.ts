import {
  type Clock,
  summarizeError,
  systemClock,
  TokenResponse,
  type TokenStore,
  TokenStoreError,
} from '@dual-auth/core';
import { openRedisConnection } from './internal/redis-connection.ts';
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
  /** Prefix of every key (default `dual-auth:token:`). */
  readonly keyPrefix?: string;
  readonly clock?: Clock;
}

/**
 * A {@link TokenStore} on Redis, with `close()` for a connection it opened itself.
 *
 * @example
 * ```ts
 * const tokenStore: RedisTokenStore = createRedisTokenStore({ url });
 * const cache = createTokenCache({ store: tokenStore });
 * ```
 */
export type RedisTokenStore = TokenStore & { close(): Promise<void> };

// Stored form: explicit fields, so nothing but the token's own data reaches Redis.
interface StoredToken {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly expiresIn: number;
  readonly expiresAt: number;
  readonly scope: readonly string[];
  readonly actAssertion?: string;
}

const MAXIMUM_STORED_LENGTH = 64 * 1024;

function parseStored(text: string): TokenResponse | undefined {
  if (text.length > MAXIMUM_STORED_LENGTH) return undefined;
  let value: Partial<StoredToken>;
  try {
    value = JSON.parse(text) as Partial<StoredToken>;
  } catch {
    return undefined;
  }
  const { accessToken, tokenType, expiresIn, expiresAt, scope, actAssertion } = value ?? {};
  if (
    typeof accessToken !== 'string' ||
    typeof tokenType !== 'string' ||
    typeof expiresIn !== 'number' ||
    typeof expiresAt !== 'number' ||
    !Array.isArray(scope) ||
    !scope.every((item) => typeof item === 'string') ||
    (actAssertion !== undefined && typeof actAssertion !== 'string')
  ) {
    return undefined;
  }
  try {
    return new TokenResponse({
      accessToken,
      tokenType,
      expiresIn,
      receivedAt: expiresAt - expiresIn * 1000,
      scope,
      ...(actAssertion === undefined ? {} : { actAssertion }),
    });
  } catch {
    return undefined;
  }
}

/**
 * A {@link TokenStore} shared by every agent replica, so a burst across replicas costs one IdP
 * request per key. Each token is stored as explicit JSON fields (access token, type, lifetime,
 * expiry, scopes, act assertion) with a `PX` expiry at the token's own expiry. Tokens are bearer
 * credentials: use TLS (`rediss://`) and Redis ACLs. Failures reject with `TokenStoreError`
 * (`ERR_TOKEN_STORE`); the client's token cache then warns and falls back to the IdP.
 *
 * @example
 * ```ts
 * const cache = createTokenCache({ store: createRedisTokenStore({ url: process.env.REDIS_URL }) });
 * const tokenRequest = new InSessionTokenRequest(adapter, { cache });
 * ```
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): RedisTokenStore {
  const connection = openRedisConnection(options, 'createRedisTokenStore');
  const keyPrefix = options.keyPrefix ?? 'dual-auth:token:';
  if (typeof keyPrefix !== 'string') throw new TypeError('createRedisTokenStore: keyPrefix must be a string');
  const clock = options.clock ?? systemClock;
  const run = async <T>(what: string, command: Parameters<typeof connection.run<T>>[0]): Promise<T> => {
    try {
      return await connection.run(command);
    } catch (error) {
      throw new TokenStoreError(`Redis token store unavailable (${what})`, {
        cause: summarizeError(error),
      });
    }
  };
  return Object.freeze({
    async get(key: string) {
      const text = await run('get', (client) => client.get(`${keyPrefix}${key}`));
      return text === null ? undefined : parseStored(text);
    },
    async set(key: string, token: TokenResponse) {
      const ttlMs = Math.floor(token.expiresAt - clock());
      if (ttlMs <= 0) {
        await run('delete', (client) => client.del(`${keyPrefix}${key}`));
        return;
      }
      const stored: StoredToken = {
        accessToken: token.accessToken,
        tokenType: token.tokenType,
        expiresIn: token.expiresIn,
        expiresAt: token.expiresAt,
        scope: token.scope,
        ...(token.actAssertion === undefined ? {} : { actAssertion: token.actAssertion }),
      };
      await run('set', (client) => client.set(`${keyPrefix}${key}`, JSON.stringify(stored), 'PX', ttlMs));
    },
    async delete(key: string) {
      await run('delete', (client) => client.del(`${keyPrefix}${key}`));
    },
    close: () => connection.close(),
  });
}
