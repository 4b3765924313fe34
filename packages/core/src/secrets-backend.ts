/**
 * Read-only view of environment variables (`process.env` or a plain object).
 *
 * @example
 * ```ts
 * const environment: Environment = { AGENT_CLIENT_ID: 'finance-agent' };
 * ```
 */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Options for one read.
 *
 * @example
 * ```ts
 * await backend.getSecret('AGENT_CLIENT_SECRET', { signal: AbortSignal.timeout(5_000) });
 * ```
 */
export interface SecretReadOptions {
  readonly signal?: AbortSignal;
}

/**
 * A source of settings and secrets: environment variables, AWS Secrets Manager, GCP Secret Manager,
 * Azure Key Vault, HashiCorp Vault. Implementations live in `@dual-auth/secrets-*`; each passes the
 * testkit's `describeSecretsBackend` conformance suite.
 *
 * @example
 * ```ts
 * const clientSecret = await backend.getSecret('AGENT_CLIENT_SECRET');
 * if (clientSecret === undefined) throw new Error(`create ${backend.secretNameFor('AGENT_CLIENT_SECRET')}`);
 * ```
 */
export interface SecretsBackend {
  /** The backend's type: `env`, `aws`, `gcp`, `azure`, `vault`, or a custom name. */
  readonly name: string;
  /**
   * Reads the setting `key` (the seed's environment-variable name, e.g. `AGENT_CLIENT_SECRET`).
   * Resolves `undefined` when the backend holds no such secret; rejects with a
   * `SecretsBackendError` for every other failure (denied, unreachable, timed out).
   */
  getSecret(key: string, options?: SecretReadOptions): Promise<string | undefined>;
  /** The backend's own name for `key`, for messages: `dual-auth/AGENT_CLIENT_SECRET`, `dual-auth-agent-client-secret`… */
  secretNameFor(key: string): string;
  /** Forgets cached values, so the next read asks the service again. */
  refresh?(): void | Promise<void>;
  /** Releases connections. */
  close?(): Promise<void>;
}

/**
 * What a `@dual-auth/secrets-*` package exports as `secretsBackendDefinition`, so that `getConfig()`
 * can build the backend from environment variables.
 *
 * @example
 * ```ts
 * export const secretsBackendDefinition = {
 *   type: 'env',
 *   create: (environment) => createEnvSecretsBackend({ environment }),
 * } satisfies SecretsBackendDefinition;
 * ```
 */
export interface SecretsBackendDefinition {
  readonly type: string;
  /** Builds the backend from its own settings (`DUAL_AUTH_AWS_REGION`…), read from `environment`. */
  create(environment: Environment): SecretsBackend | Promise<SecretsBackend>;
}
