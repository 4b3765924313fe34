import type { Environment, SecretsBackend, SecretsBackendDefinition } from '@dual-auth/core';

/**
 * Options of {@link createEnvSecretsBackend}.
 *
 * @example
 * ```ts
 * createEnvSecretsBackend({ prefix: 'BILLING_', environment: process.env } satisfies EnvSecretsBackendOptions);
 * ```
 */
export interface EnvSecretsBackendOptions {
  /** Where values are read (default `process.env`, read at each call so changes are seen). */
  readonly environment?: Environment;
  /** A prefix for every variable name, e.g. `MYAPP_` reads `MYAPP_AGENT_CLIENT_SECRET` (default none). */
  readonly prefix?: string;
}

const settingKey = /^[A-Za-z_][A-Za-z0-9_]*$/;

function processEnvironment(): Environment {
  return (globalThis as { process?: { env?: Environment } }).process?.env ?? {};
}

/**
 * The default secrets backend: each setting is the environment variable of the same name
 * (`AGENT_CLIENT_SECRET`…). For development, CI, and platforms that inject secrets as variables.
 *
 * @example
 * ```ts
 * import { getConfig } from '@dual-auth/core/config';
 * import { createEnvSecretsBackend } from '@dual-auth/secrets-env';
 *
 * const config = await getConfig({ secretsBackend: createEnvSecretsBackend({ environment: loadDotEnv() }) });
 * ```
 */
export function createEnvSecretsBackend(options: EnvSecretsBackendOptions = {}): SecretsBackend {
  const prefix = options.prefix ?? '';
  if (prefix !== '' && !settingKey.test(prefix)) {
    throw new TypeError('createEnvSecretsBackend: prefix must contain only letters, digits and _');
  }
  const environment = options.environment;
  const variableFor = (key: string): string => {
    if (!settingKey.test(key))
      throw new TypeError('env secrets backend: a key must be an environment variable name');
    return `${prefix}${key}`;
  };
  return Object.freeze({
    name: 'env',
    async getSecret(key: string): Promise<string | undefined> {
      return (environment ?? processEnvironment())[variableFor(key)];
    },
    secretNameFor: (key: string) => variableFor(key),
  }) satisfies SecretsBackend;
}

/**
 * Lets `getConfig()` build this backend when `DUAL_AUTH_SECRETS_BACKEND` is `env` or unset.
 *
 * @example
 * ```ts
 * const backend = await secretsBackendDefinition.create(process.env);
 * ```
 */
export const secretsBackendDefinition: SecretsBackendDefinition = Object.freeze({
  type: 'env',
  create: (environment: Environment) => createEnvSecretsBackend({ environment }),
});
