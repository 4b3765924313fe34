import { type Clock, systemClock } from './clock.ts';
import { SecretsBackendError } from './errors.ts';
import type { SecretReadOptions, SecretsBackend } from './secrets-backend.ts';

/**
 * Options of {@link createCachingSecretsBackend}.
 *
 * @example
 * ```ts
 * const options: CachingSecretsBackendOptions = { name: 'vault', secretNameFor: (key) => key, read, cacheTtlMs: 60_000 };
 * ```
 */
export interface CachingSecretsBackendOptions {
  /** The backend's type, e.g. `aws`. */
  readonly name: string;
  /** The service's name for a setting key, e.g. `AGENT_CLIENT_ID` → `dual-auth/AGENT_CLIENT_ID`. */
  readonly secretNameFor: (key: string) => string;
  /**
   * Reads one secret by the service's name. Resolves `undefined` when the service has no such
   * secret. Any other failure may throw anything: it reaches the caller as a `SecretsBackendError`
   * (a `SecretsBackendError` thrown here passes through unchanged). `signal` aborts at the
   * timeout; a caller's own signal never reaches it, since other callers may share the read.
   */
  readonly read: (secretName: string, signal: AbortSignal) => Promise<string | undefined>;
  /** How long a value is served from memory, ms (default 5 minutes; 0 disables caching). */
  readonly cacheTtlMs?: number;
  /** Longest a single read may take, ms (default 10 s). */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  /** Releases the service client. */
  readonly close?: () => Promise<void>;
}

// The error's class or code (AccessDeniedException, ECONNREFUSED…), never its message, which may
// quote request data.
function kindOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[\w.-]{1,64}$/.test(code)) return code;
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && /^[\w.-]{1,64}$/.test(name) ? name : 'unknown error';
}

interface CachedValue {
  readonly value: string;
  readonly expiresAt: number;
}

/**
 * The shared machinery of the cloud secrets backends: values cached for a TTL, concurrent reads
 * of one key sharing one request, a timeout on every read, `refresh()`, and every failure turned
 * into a `SecretsBackendError` naming the backend and the secret (never its value). A caller's
 * abort signal rejects only that caller's promise. Values live in
 * a closure, so the backend object shows nothing when serialized or inspected.
 *
 * @example
 * ```ts
 * const backend = createCachingSecretsBackend({
 *   name: 'aws',
 *   secretNameFor: (key) => `dual-auth/${key}`,
 *   read: async (secretName, signal) => (await client.send(new GetSecretValueCommand({ SecretId: secretName }), { abortSignal: signal })).SecretString,
 * });
 * ```
 */
export function createCachingSecretsBackend(options: CachingSecretsBackendOptions): SecretsBackend {
  const cacheTtlMs = options.cacheTtlMs ?? 300_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isFinite(cacheTtlMs) || cacheTtlMs < 0) throw new TypeError('cacheTtlMs must be 0 or more');
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError('timeoutMs must be positive');
  const clock = options.clock ?? systemClock;
  const cache = new Map<string, CachedValue>();
  const pending = new Map<string, Promise<string | undefined>>();
  let generation = 0;

  const failure = (secretName: string, message: string, cause?: unknown) =>
    new SecretsBackendError(`${options.name} secrets backend: ${message} for "${secretName}".`, {
      backend: options.name,
      secretName,
      ...(cause === undefined ? {} : { cause }),
    });

  // The shared read of one secret runs under the timeout only: a caller's own signal must not
  // cancel the read that other callers of the same key are waiting for (see `forCaller`).
  async function readFromService(secretName: string): Promise<string | undefined> {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const value = await new Promise<string | undefined>((resolve, reject) => {
        // The service call may ignore the signal; the race still bounds how long we wait.
        const onAbort = () => reject(timeout.reason);
        timeout.addEventListener('abort', onAbort, { once: true });
        options
          .read(secretName, timeout)
          .then(resolve, reject)
          .finally(() => {
            timeout.removeEventListener('abort', onAbort);
          });
      });
      if (value !== undefined && typeof value !== 'string')
        throw failure(secretName, 'the service returned a non-text value');
      return value;
    } catch (error) {
      if (error instanceof SecretsBackendError) throw error;
      if (timeout.aborted) throw failure(secretName, `no answer within ${timeoutMs} ms`, error);
      throw failure(secretName, `the read failed (${kindOf(error)})`, error);
    }
  }

  // One caller's view of a shared read: its own abort rejects only its own promise.
  function forCaller(
    shared: Promise<string | undefined>,
    secretName: string,
    signal: AbortSignal | undefined,
  ): Promise<string | undefined> {
    if (signal === undefined) return shared;
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(failure(secretName, 'the read was aborted', signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
      shared.then(resolve, reject).finally(() => {
        signal.removeEventListener('abort', onAbort);
      });
    });
  }

  return Object.freeze({
    name: options.name,
    secretNameFor: options.secretNameFor,
    async getSecret(key: string, readOptions: SecretReadOptions = {}): Promise<string | undefined> {
      const secretName = options.secretNameFor(key);
      const cached = cache.get(secretName);
      if (cached !== undefined && cached.expiresAt > clock()) return cached.value;
      const signal = readOptions.signal;
      if (signal?.aborted) throw failure(secretName, 'the read was aborted', signal.reason);
      const inFlight = pending.get(secretName);
      if (inFlight !== undefined) return forCaller(inFlight, secretName, signal);
      const startedIn = generation;
      const request = readFromService(secretName)
        .then((value) => {
          // A refresh() during the read means this value may be stale: serve it, do not cache it.
          if (value !== undefined && cacheTtlMs > 0 && startedIn === generation) {
            cache.set(secretName, { value, expiresAt: clock() + cacheTtlMs });
          }
          return value;
        })
        .finally(() => pending.delete(secretName));
      pending.set(secretName, request);
      return forCaller(request, secretName, signal);
    },
    refresh(): void {
      generation++;
      cache.clear();
    },
    async close(): Promise<void> {
      cache.clear();
      await options.close?.();
    },
  }) satisfies SecretsBackend;
}
