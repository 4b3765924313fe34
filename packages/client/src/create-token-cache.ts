import {
  type Clock,
  type IdpAdapter,
  type Logger,
  systemClock,
  type TokenRequestParams,
  type TokenResponse,
  type TokenStore,
} from '@dual-auth/core';
import { silentLogger } from '@dual-auth/core/logging';
import { createMemoryTokenStore } from './create-memory-token-store.ts';
import { abortable } from './internal/abortable.ts';
import { errorKind } from './internal/error-kind.ts';
import { requestAcrossReplicas } from './internal/request-across-replicas.ts';
import { subjectTokenExpiry } from './internal/subject-token-expiry.ts';
import { tokenCacheKey } from './internal/token-cache-key.ts';

/**
 * Options of {@link createTokenCache}.
 *
 * @example
 * ```ts
 * const options: TokenCacheOptions = { store: createRedisTokenStore({ url }), refreshMarginSeconds: 60 };
 * ```
 */
export interface TokenCacheOptions {
  /** Where tokens are kept (default: {@link createMemoryTokenStore} bounded by `maxEntries`). */
  readonly store?: TokenStore;
  /**
   * A token is renewed this many seconds before it expires (default 30); a cached token is also not
   * served once the request's `delegation.expiresAt` is this close.
   */
  readonly refreshMarginSeconds?: number;
  readonly clock?: Clock;
  /** Bound of the default in-memory store (default 10,000); ignored when `store` is given. */
  readonly maxEntries?: number;
  readonly logger?: Logger;
}

/**
 * The agent's token cache: one token per (IdP token endpoint, agent, human, scopes, audience,
 * delegation intent and expiry), served until shortly before it expires — or before the
 * request's delegation ends. Concurrent misses for one key share a single IdP request; a failure
 * reaches every waiter and is never cached. When the store offers `singleFlight` (Redis does),
 * the misses of every process sharing it share that one request too.
 *
 * @example
 * ```ts
 * const cache: TokenCache = createTokenCache();
 * const tokenResponse = await cache.requestToken(adapter, { agentId, act, scope });
 * if (response.status === 401) await cache.invalidate(adapter, { agentId, act, scope });
 * ```
 */
export interface TokenCache {
  /** A fresh cached token for these parameters, or one requested from `adapter` (single-flight). */
  requestToken(adapter: IdpAdapter, params: TokenRequestParams): Promise<TokenResponse>;
  /**
   * Forgets the token for these parameters, e.g. after the API refused it with 401. A store failure
   * is logged as a warning, not thrown.
   */
  invalidate(adapter: IdpAdapter, params: TokenRequestParams): Promise<void>;
}

/**
 * Creates a {@link TokenCache}. Tokens are keyed by a hash that includes the human's `sub` and the
 * agent id, so a token is never served to another human or another agent. Store failures
 * (e.g. Redis down) degrade to an IdP request and a warning, never to a wrong token.
 *
 * @example
 * ```ts
 * const cache = createTokenCache({ refreshMarginSeconds: 60 });
 * const tokenResponse = await cache.requestToken(adapter, { agentId: 'finance-agent', act, scope: ['finance.read'] });
 * ```
 */
export function createTokenCache(options: TokenCacheOptions = {}): TokenCache {
  const refreshMarginSeconds = options.refreshMarginSeconds ?? 30;
  if (!Number.isFinite(refreshMarginSeconds) || refreshMarginSeconds < 0 || refreshMarginSeconds > 3600) {
    throw new TypeError('refreshMarginSeconds must be between 0 and 3600');
  }
  const clock = options.clock ?? systemClock;
  if (typeof clock !== 'function')
    throw new TypeError('clock must be a function returning epoch milliseconds');
  const logger = options.logger ?? silentLogger;
  const store =
    options.store ??
    createMemoryTokenStore({
      clock,
      ...(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries }),
    });
  const inFlight = new Map<string, Promise<TokenResponse>>();
  const marginMs = refreshMarginSeconds * 1000;

  // A token cached earlier may outlive the delegation it was minted for, or (exchange mode) the
  // human's subject token it was exchanged from: once either ends within the refresh margin, the
  // cached token is not served.
  const ending = (expiresAt: number | undefined, now: number): boolean =>
    expiresAt !== undefined && expiresAt * 1000 <= now + marginMs;
  const delegationEnding = (params: TokenRequestParams, now: number): boolean =>
    ending(params.delegation?.expiresAt, now) || ending(subjectTokenExpiry(params.subjectToken), now);

  const readStore = async (key: string): Promise<TokenResponse | undefined> => {
    try {
      return await store.get(key);
    } catch (error) {
      logger.warn('token store read failed; requesting a new token', { error: errorKind(error) });
      return undefined;
    }
  };

  const writeStore = async (key: string, token: TokenResponse): Promise<void> => {
    try {
      await store.set(key, token);
    } catch (error) {
      logger.warn('token store write failed; token served uncached', { error: errorKind(error) });
    }
  };

  const servable = (token: TokenResponse | undefined, params: TokenRequestParams) => {
    const now = clock();
    return token?.isFresh(now, refreshMarginSeconds) === true && !delegationEnding(params, now);
  };

  const fetchAndStore = async (
    key: string,
    adapter: IdpAdapter,
    params: TokenRequestParams,
  ): Promise<TokenResponse> => {
    // The shared request must not die with the first caller's signal: others may still wait on it.
    const { signal: _callerSignal, ...shared } = params;
    const requestFromIdp = () => adapter.requestToken(shared);
    if (store.singleFlight !== undefined) {
      return requestAcrossReplicas({
        key,
        singleFlight: store.singleFlight,
        requestFromIdp,
        readServable: async () => {
          const stored = await readStore(key);
          return servable(stored, params) ? stored : undefined;
        },
        storeToken: (token) => writeStore(key, token),
        logger,
      });
    }
    const token = await requestFromIdp();
    await writeStore(key, token);
    return token;
  };

  const cache: TokenCache = {
    async requestToken(adapter, params) {
      const key = await tokenCacheKey(adapter, params);
      let flight = inFlight.get(key);
      if (flight === undefined) {
        const cached = await readStore(key);
        if (cached !== undefined && servable(cached, params)) return cached;
        // Another caller may have started the request while we read the store.
        flight = inFlight.get(key);
        if (flight === undefined) {
          logger.debug('token cache miss', { agentId: params.agentId, vendor: adapter.vendor });
          const started = fetchAndStore(key, adapter, params);
          flight = started;
          inFlight.set(key, started);
          started.then(
            () => inFlight.delete(key),
            () => inFlight.delete(key),
          );
        }
      }
      return params.signal === undefined ? flight : abortable(flight, params.signal);
    },
    async invalidate(adapter, params) {
      const key = await tokenCacheKey(adapter, params);
      try {
        await store.delete(key);
      } catch (error) {
        logger.warn('token store delete failed; the token may be served again', { error: errorKind(error) });
      }
    },
  };
  return Object.freeze(cache);
}
