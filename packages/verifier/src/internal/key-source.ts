import {
  type Clock,
  checkUrlPolicy,
  type Logger,
  parseStrictJsonObject,
  readLimitedText,
} from '@dual-auth/core';
import { Denial, invalid } from './deny.ts';
import {
  importVerificationKey,
  type JwsAlgorithm,
  type PublicKeyInput,
  type VerificationKey,
} from './verification-key.ts';

/** Finds the keys that may have signed a token; a promise only when the key set must be fetched. */
export interface KeySource {
  select(
    kid: string | undefined,
    algorithm: JwsAlgorithm,
  ): readonly VerificationKey[] | Promise<readonly VerificationKey[]>;
}

/** Most keys accepted from one configuration or one JWKS document. */
export const MAXIMUM_KEYS = 100;

function pick(keys: readonly VerificationKey[], kid: string | undefined, algorithm: JwsAlgorithm) {
  return keys.filter((key) => (kid === undefined || key.kid === kid) && key.algorithms.has(algorithm));
}

/** Keys given in the options: a JWKS, one JWK, PEM strings or KeyObjects. */
export function createStaticKeySource(
  input: unknown,
  allowed: ReadonlySet<JwsAlgorithm>,
  setting: string,
): KeySource {
  const items: unknown[] = Array.isArray(input)
    ? input
    : typeof input === 'object' && input !== null && Array.isArray((input as { keys?: unknown }).keys)
      ? (input as { keys: unknown[] }).keys
      : [input];
  if (items.length === 0 || items.length > MAXIMUM_KEYS) {
    throw new TypeError(`${setting} must hold between 1 and ${MAXIMUM_KEYS} keys`);
  }
  const keys = items.map((item, index) => {
    const key = importVerificationKey(item as PublicKeyInput, allowed);
    if (typeof key === 'string') throw new TypeError(`${setting}[${index}] ${key}`);
    return key;
  });
  function choose(kid: string | undefined, algorithm: JwsAlgorithm): readonly VerificationKey[] {
    const found = pick(keys, kid, algorithm);
    // A key without a kid matches a token with one only when it is the sole candidate, as with
    // a single PEM key.
    if (found.length === 0 && kid !== undefined)
      return Object.freeze(pick(keys, undefined, algorithm).filter((key) => key.kid === undefined));
    return Object.freeze(found);
  }
  // The keys never change, and an IdP's tokens carry the same kid and alg one after another:
  // the last choice is reused rather than filtering the keys again on every token.
  let lastKid: string | undefined;
  let lastAlgorithm: JwsAlgorithm | undefined;
  let lastChoice: readonly VerificationKey[] = [];
  return {
    select(kid, algorithm) {
      if (kid !== lastKid || algorithm !== lastAlgorithm) {
        lastChoice = choose(kid, algorithm);
        lastKid = kid;
        lastAlgorithm = algorithm;
      }
      return lastChoice;
    },
  };
}

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
  /** Timeout of one fetch, ms (default 5,000). */
  readonly timeoutMs?: number;
  /** Largest JWKS document accepted, bytes (default 256 KiB). */
  readonly maxResponseBytes?: number;
}

interface RemoteState {
  keys: readonly VerificationKey[];
  fetchedAt: number;
  attemptedAt: number;
  unknownKidRefreshAt: number;
  inflight: Promise<boolean> | undefined;
}

/**
 * A JWKS fetched from `url`, cached with a maximum age (past it, refreshed in the background while
 * the cached keys keep serving), re-fetched once (single-flight, with a cooldown) on an unknown
 * `kid`, and kept while the endpoint fails (stale-if-error) up to `maxStaleSeconds`.
 * `idp_unavailable` is the answer only when no usable key is cached.
 */
export function createRemoteKeySource(options: {
  readonly url: string;
  readonly setting: string;
  readonly allowed: ReadonlySet<JwsAlgorithm>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fetch: typeof fetch;
  readonly allowInsecureLoopback: boolean;
  readonly jwks: JwksOptions;
}): KeySource {
  const policy = checkUrlPolicy(options.url, { allowInsecureLoopback: options.allowInsecureLoopback });
  if (!policy.ok) throw new TypeError(`${options.setting} ${policy.problem}`);
  const url = policy.url;
  const endpoint = `${url.origin}${url.pathname}`;
  const maxAge = seconds(options.jwks.cacheMaxAgeSeconds, 600, 'cacheMaxAgeSeconds');
  const cooldown = seconds(options.jwks.cooldownSeconds, 30, 'cooldownSeconds');
  const maxStale = seconds(options.jwks.maxStaleSeconds, 86_400, 'maxStaleSeconds');
  const timeoutMs = seconds(options.jwks.timeoutMs, 5_000, 'timeoutMs');
  const maxBytes = seconds(options.jwks.maxResponseBytes, 256 * 1024, 'maxResponseBytes');
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
    for (const item of list.slice(0, MAXIMUM_KEYS)) {
      const key = importVerificationKey(item as PublicKeyInput, options.allowed);
      if (typeof key !== 'string') keys.push(key);
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
        options.logger.debug('jwks refreshed', { endpoint, keys: keys.length });
        return true;
      },
      (error: unknown) => {
        state.inflight = undefined;
        options.logger.warn('jwks refresh failed', {
          endpoint,
          problem: error instanceof Error ? error.message : 'unknown error',
        });
        return false;
      },
    );
    return state.inflight;
  }

  const unavailable = () => new Denial('idp_unavailable', 'no usable signing key: the JWKS endpoint failed');
  const unknownKey = (kid: string | undefined) =>
    invalid(kid === undefined ? 'no key fits the token' : 'unknown key id (kid)');
  /** Whether the cached keys may still verify: fetched, and not past the stale limit. */
  const usable = (now: number) => state.keys.length > 0 && now - state.fetchedAt <= maxStale * 1000;

  async function selectAfterRefresh(kid: string | undefined, algorithm: JwsAlgorithm) {
    await refresh();
    // Whether the refresh worked or not, what decides is the key set now cached: 503 only when
    // no cached key is usable, otherwise the token's key is simply not among them.
    if (!usable(options.clock())) throw unavailable();
    const found = pick(state.keys, kid, algorithm);
    return found.length > 0 ? found : unknownKey(kid);
  }

  return {
    select(kid, algorithm) {
      const now = options.clock();
      const found = pick(state.keys, kid, algorithm);
      const mayRetry = now - state.attemptedAt >= cooldown * 1000;
      if (usable(now)) {
        // Past the maximum age: refresh in the background (single-flight, and not again within
        // the cooldown after a failure) while requests go on with the cached keys.
        if (now - state.fetchedAt > maxAge * 1000 && state.inflight === undefined && mayRetry) void refresh();
        if (found.length > 0) return found;
        // An unknown kid may be a rotated key: wait for a refresh under way, or look once, then
        // not again within the cooldown, so tokens with made-up kids cannot make us hammer the IdP.
        if (state.inflight !== undefined) return selectAfterRefresh(kid, algorithm);
        if (now - state.unknownKidRefreshAt >= cooldown * 1000) {
          state.unknownKidRefreshAt = now;
          return selectAfterRefresh(kid, algorithm);
        }
        return unknownKey(kid);
      }
      // Nothing usable cached (never fetched, or past the stale limit): the request must wait.
      if (state.inflight !== undefined || mayRetry) return selectAfterRefresh(kid, algorithm);
      throw unavailable();
    },
  };
}

function seconds(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`jwks.${name} must be a number ≥ 0`);
  return value;
}
