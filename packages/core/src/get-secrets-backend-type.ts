import { ConfigurationError } from './errors.ts';
import { defaultEnvironment } from './internal/default-environment.ts';
import type { Environment } from './secrets-backend.ts';
import { isSecretsBackendType, type SecretsBackendType, secretsBackendTypes } from './vendors.ts';

/**
 * The secrets backend named by `DUAL_AUTH_SECRETS_BACKEND` (or `override`); `env` when unset.
 *
 * @example
 * ```ts
 * getSecretsBackendType(); // 'env' unless DUAL_AUTH_SECRETS_BACKEND says otherwise
 * ```
 * @throws {ConfigurationError} when set to an unknown backend.
 */
export function getSecretsBackendType(
  override?: string,
  environment: Environment = defaultEnvironment(),
): SecretsBackendType {
  const setting = 'DUAL_AUTH_SECRETS_BACKEND';
  const raw = (override ?? environment[setting])?.trim().toLowerCase();
  if (raw === undefined || raw === '') return 'env';
  if (!isSecretsBackendType(raw)) {
    throw new ConfigurationError(
      `${setting} names an unknown secrets backend; use one of ${secretsBackendTypes.join(', ')}.`,
      { setting },
    );
  }
  return raw;
}
