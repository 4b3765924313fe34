import type { Clock } from '../clock.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { parseStrictJsonObject } from '../parse-strict-json-object.ts';
import { readLimitedText } from '../read-limited-text.ts';
import { checkUrlPolicy } from '../url-policy.ts';
import { joseFailure } from './jose-failure.ts';
import type { JwsAlgorithm } from './jws-algorithm.ts';
import { type KeySelection, type KeySource, pickKeys } from './key-source.ts';
import {
  importVerificationKey,
  isKeyImportFailure,
  type PublicKeyInput,
  type VerificationKey,
} from './verification-key.ts';

/**
 * Behaviour of a remote JWKS cache.
 *
 * @example
 * ```ts
 * createVerifier({ ...options, jwks: { cacheMaxAgeSeconds: 300, cooldownSeconds: 30 } });
 * ```
 */
export interface JwksOptions {
  /** Refresh a key set older than this, seconds (default 600), in the background while its keys keep serving. */
  readonly cacheMaxAgeSeconds?: number;
  /** Least time between two fetches caused by unknown `kid`s, and before retrying a failed fetch, seconds (default 30). */
  readonly cooldownSeconds?: number;
  /** Keep verifying with a key set this old when the endpoint fails, seconds (default 86,400); past it, requests wait for a fetch. */
  readonly maxStaleSeconds?: number;
  /** Timeout of one fetch, seconds (default 5): every duration of this object is in seconds. */
  readonly timeoutSeconds?: number;
  /** Largest JWKS document accepted, bytes (default 256 KiB). */
  readonly maxResponseBytes?: number;
}

/**
 * Options of {@link createRemoteKeySource}.
 *
 * @example
 * ```ts
 * const options: RemoteKeySourceOptions = { url, setting: 'jwksUri', allowed, clock: Date.now, fetch, allowInsecureLoopback: false, jwks: {} };
 * ```
 */
export interface RemoteKeySourceOptions {
  readonly url: string;
  /** The option's name, for the `TypeError` of a refused URL. */
  readonly setting: string;
  readonly allowed: ReadonlySet<JwsAlgorithm>;
  readonly clock: Clock;
  readonly logger?: Logger;
  readonly fetch: typeof fetch;
  readonly allowInsecureLoopback: boolean;
  readonly jwks: JwksOptions;
  /** Most keys read from one document (default 100); the rest are ignored. */
  readonly maximumKeys?: number;
  /**
   * Past the maximum age, `background` (default) refreshes while the cached keys keep serving;
   * `wait` makes the request wait for the refresh, so a key withdrawn from the JWKS stops
   * verifying at once (for rare requests, where the wait costs little).
   */
  readonly refreshPastMaxAge?: 'background' | 'wait';
}

interface RemoteState {
  keys: readonly VerificationKey[];
  fetchedAt: number;
  attemptedAt: number;
  unknownKidRefreshAt: number;
  inflight: Promise<boolean> | undefined;
}

const unavailable = joseFailure('jwks_unavailable', 'no usable signing key: the JWKS endpoint failed');
const unknownKid = joseFailure('unknown_kid', 'unknown key id (kid)');

/**
 * A JWKS fetched from `url` (https, or loopback http with the opt-in; size-limited; strict JSON),
 * cached with a maximum age, re-fetched once (single-flight, with a cooldown) on an unknown `kid`,
 * and kept while the endpoint fails (stale-if-error) up to `maxStaleSeconds`. `jwks_unavailable`
 * is the answer only when no usable key is cached. A failed fetch is not retried within the
 * cooldown, so an outage costs the endpoint one request per cooldown, not one per token.
 *
 * @example
 * ```ts
 * const source = createRemoteKeySource({
 *   url: 'https://app.example.com/.well-known/jwks.json',
 *   setting: 'appJwksUrl',
 *   allowed: new Set(['ES256']),
 *   clock: Date.now,
 *   fetch,
 *   allowInsecureLoopback: false,
 *   jwks: {},
 * });
 * ```
 * @throws {TypeError} for a refused URL or a negative duration.
 */
export function createRemoteKeySource(options: RemoteKeySourceOptions): KeySource {
  const policy = checkUrlPolicy(options.url, { allowInsecureLoopback: options.allowInsecureLoopback });
  if (!policy.ok) throw new TypeError(`${options.setting} ${policy.problem}`);
  const url = policy.url;
  const endpoint = `${url.origin}${url.pathname}`;
  const logger = options.logger ?? silentLogger;
  const maxAge = seconds(options.jwks.cacheMaxAgeSeconds, 600, 'cacheMaxAgeSeconds');
  const cooldown = seconds(options.jwks.cooldownSeconds, 30, 'cooldownSeconds');
  const maxStale = seconds(options.jwks.maxStaleSeconds, 86_400, 'maxStaleSeconds');
  if (Object.hasOwn(options.jwks, 'timeoutMs')) {
    throw new TypeError('jwks.timeoutMs was renamed jwks.timeoutSeconds (seconds)');
  }
  const timeoutMs = seconds(options.jwks.timeoutSeconds, 5, 'timeoutSeconds') * 1000;
  const maxBytes = seconds(options.jwks.maxResponseBytes, 256 * 1024, 'maxResponseBytes');
  const maximumKeys = options.maximumKeys ?? 100;
  const waitPastMaxAge = options.refreshPastMaxAge === 'wait';
  const state: RemoteState = {
    keys: [],
    fetchedAt: Number.NEGATIVE_INFINITY,
    attemptedAt: Number.NEGATIVE_INFINITY,
    unknownKidRefreshAt: Number.NEGATIVE_INFINITY,
    inflight: undefined,
  };

  async function download(): Promise<readonly VerificationKey[]> {
    const response = await options.fetch(url, {
      headers: { accept: 'application/jwk-set+json, application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`JWKS endpoint answered HTTP ${response.status}`);
    }
    const text = await readLimitedText(response, maxBytes).catch((error: unknown) => {
      throw error instanceof RangeError ? new Error('JWKS document is too large') : error;
    });
    const document = parseStrictJsonObject(text);
    const list = document?.keys;
    if (!Array.isArray(list)) throw new Error('JWKS document has no keys array');
    const keys: VerificationKey[] = [];
    for (const item of list.slice(0, maximumKeys)) {
      const key = importVerificationKey(item as PublicKeyInput, options.allowed);
      if (!isKeyImportFailure(key)) keys.push(key);
    }
    if (keys.length === 0) throw new Error('JWKS document has no usable signing key');
    return keys;
  }

  function refresh(): Promise<boolean> {
    if (state.inflight !== undefined) return state.inflight;
    state.attemptedAt = options.clock();
    state.inflight = download().then(
      (keys) => {
        state.keys = keys;
        state.fetchedAt = options.clock();
        state.inflight = undefined;
        logger.debug('jwks refreshed', { endpoint, keys: keys.length });
        return true;
      },
      (error: unknown) => {
        state.inflight = undefined;
        logger.warn('jwks refresh failed', {
          endpoint,
          problem: error instanceof Error ? error.message : 'unknown error',
        });
        return false;
      },
    );
    return state.inflight;
  }

  /** Whether the cached keys may still verify: fetched, and not past the stale limit. */
  const usable = (now: number) => state.keys.length > 0 && now - state.fetchedAt <= maxStale * 1000;

  function pick(kid: string | undefined, algorithm: JwsAlgorithm): KeySelection {
    const found = pickKeys(state.keys, kid, algorithm);
    return !Array.isArray(found) && kid !== undefined ? unknownKid : found;
  }

  async function selectAfterRefresh(kid: string | undefined, algorithm: JwsAlgorithm) {
    await refresh();
    // Whether the refresh worked or not, what decides is the key set now cached: unavailable only
    // when no cached key is usable, otherwise the token's key is simply not among them.
    if (!usable(options.clock())) return unavailable;
    return pick(kid, algorithm);
  }

  return {
    select(kid, algorithm) {
      const now = options.clock();
      const mayRetry = now - state.attemptedAt >= cooldown * 1000;
      if (usable(now)) {
        // Past the maximum age: refresh (single-flight, and not again within the cooldown after a
        // failure), in the background while requests go on with the cached keys unless told to wait.
        if (now - state.fetchedAt > maxAge * 1000 && state.inflight === undefined && mayRetry) {
          if (waitPastMaxAge) return selectAfterRefresh(kid, algorithm);
          void refresh();
        }
        const found = pick(kid, algorithm);
        if (Array.isArray(found)) return found;
        // An unknown kid may be a rotated key: wait for a refresh under way, or look once, then
        // not again within the cooldown, so tokens with made-up kids cannot make us hammer the IdP.
        if (state.inflight !== undefined) return selectAfterRefresh(kid, algorithm);
        if (now - state.unknownKidRefreshAt >= cooldown * 1000) {
          state.unknownKidRefreshAt = now;
          return selectAfterRefresh(kid, algorithm);
        }
        return found;
      }
      // Nothing usable cached (never fetched, or past the stale limit): the request must wait.
      if (state.inflight !== undefined || mayRetry) return selectAfterRefresh(kid, algorithm);
      return unavailable;
    },
  };
}

function seconds(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`jwks.${name} must be a number ≥ 0`);
  return value;
}
