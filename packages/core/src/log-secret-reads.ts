import { isDualAuthError } from './errors.ts';
import type { Logger } from './logger.ts';

/**
 * How a secrets backend reads one secret by its service name (what `createCachingSecretsBackend` takes).
 *
 * @example
 * ```ts
 * const read: SecretRead = async (secretName, signal) => (await fetchSecret(secretName, { signal })) ?? undefined;
 * ```
 */
export type SecretRead = (secretName: string, signal: AbortSignal) => Promise<string | undefined>;

/**
 * Wraps a backend's service read so that `logger` gets one `debug` entry per read (`found`,
 * `durationMs`) and one `warn` per failure (the dual-auth error's message, which names the secret
 * and never its value). Aborted reads are left to the caller, which reports the timeout.
 *
 * @example
 * ```ts
 * const backend = createCachingSecretsBackend({ name: 'aws', secretNameFor, read: logSecretReads('aws', logger, read) });
 * ```
 */
export function logSecretReads(backend: string, logger: Logger, read: SecretRead): SecretRead {
  return async (secretName, signal) => {
    const started = performance.now();
    try {
      const value = await read(secretName, signal);
      const durationMs = Math.round(performance.now() - started);
      logger.debug('secret read', { backend, secretName, found: value !== undefined, durationMs });
      return value;
    } catch (error) {
      if (!signal.aborted) {
        // A foreign error's message may quote the request: only dual-auth's own messages are logged.
        const problem = isDualAuthError(error) ? error.message : 'unexpected error';
        logger.warn('secret read failed', { backend, secretName, problem });
      }
      throw error;
    }
  };
}
