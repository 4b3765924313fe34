import { type Clock, checkUrlPolicy, readLimitedText } from '@dual-auth/core';
import ky from 'ky';
import type { KeySource } from './key-source.ts';
import {
  createVerificationKey,
  type SignatureBackend,
  toPublicJwk,
  type VerificationKey,
} from './verification-key.ts';

/** Options of {@link createRemoteKeySource}. */
export interface RemoteKeySourceOptions {
  readonly url: string;
  readonly allowedAlgorithms: readonly string[];
  readonly backend: SignatureBackend;
  readonly clock: Clock;
  readonly fetch?: typeof globalThis.fetch;
  readonly allowInsecureLoopback?: boolean;
  /** Least time between two fetches prompted by an unknown `kid`, ms. */
  readonly cooldownMs?: number;
  /** Keys are fetched again after this long, ms. */
  readonly maxAgeMs?: number;
  /** Longest use of keys the endpoint can no longer confirm (stale-if-error), ms. */
  readonly maxStaleMs?: number;
  readonly timeoutMs?: number;
}

const MAXIMUM_JWKS_BYTES = 64 * 1024;
const MAXIMUM_JWKS_KEYS = 50;

/**
 * The application's keys from its JWKS URL: https only (loopback http with the opt-in), size-limited,
 * cached for `maxAgeMs`. An unknown `kid`, expired keys and a failed fetch each lead to at most one
 * fetch per `cooldownMs`; concurrent fetches share one request; when the endpoint fails, the keys
 * already held stay in use for up to `maxStaleMs` after they were fetched.
 */
export function createRemoteKeySource(options: RemoteKeySourceOptions): KeySource {
  const policy = checkUrlPolicy(options.url, {
    allowInsecureLoopback: options.allowInsecureLoopback ?? false,
  });
  if (!policy.ok) throw new TypeError(`appJwksUrl ${policy.problem}`);
  const url = policy.url.href;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const maxAgeMs = options.maxAgeMs ?? 600_000;
  const maxStaleMs = options.maxStaleMs ?? 86_400_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const { clock } = options;
  const http = ky.create({
    timeout: timeoutMs,
    retry: 0,
    redirect: 'error',
    headers: { accept: 'application/json, application/jwk-set+json' },
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });

  let keys: readonly VerificationKey[] | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let refreshing: Promise<void> | undefined;

  const load = async (): Promise<void> => {
    attemptedAt = clock();
    const response = await http.get(url);
    const text = await readLimitedText(response, MAXIMUM_JWKS_BYTES);
    const body: unknown = JSON.parse(text);
    const list = (body as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(list)) throw new TypeError('JWKS has no keys array');
    const loaded: VerificationKey[] = [];
    for (const candidate of list.slice(0, MAXIMUM_JWKS_KEYS)) {
      const result = toPublicJwk(candidate);
      if (!result.ok) continue;
      try {
        const key = createVerificationKey(result.jwk, options.allowedAlgorithms, options.backend);
        if (key.algorithms.length > 0) loaded.push(key);
      } catch {
        // a key node:crypto cannot read is skipped like any other unusable key
      }
    }
    keys = Object.freeze(loaded);
    fetchedAt = clock();
  };

  const refresh = (): Promise<void> => {
    refreshing ??= load().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };

  const select = (kid: string | undefined): readonly VerificationKey[] =>
    (keys ?? []).filter((key) => kid === undefined || key.kid === kid);

  return {
    async keysFor(kid) {
      const now = clock();
      if (keys === undefined || now - fetchedAt >= maxAgeMs) {
        // During an outage every act JWT would otherwise cost one more request to a failing
        // endpoint: after a failed attempt, the next waits for the cooldown (or joins one in flight).
        if (refreshing !== undefined || now - attemptedAt >= cooldownMs) {
          try {
            await refresh();
          } catch (error) {
            // Stale keys beat no keys: a JWKS outage must not stop verification with known keys.
            if (keys === undefined) throw error;
          }
        }
        if (keys === undefined) throw new Error('JWKS unavailable; the next fetch waits for the cooldown');
        if (clock() - fetchedAt > maxStaleMs) {
          throw new Error('JWKS keys are past the stale limit and could not be refreshed');
        }
      }
      let matches = select(kid);
      if (matches.length === 0 && clock() - attemptedAt >= cooldownMs) {
        await refresh().catch(() => undefined);
        matches = select(kid);
      }
      return matches;
    },
  };
}
