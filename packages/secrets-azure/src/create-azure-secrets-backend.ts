import type { TokenCredential } from '@azure/identity';
import type { SecretClient } from '@azure/keyvault-secrets';
import { type Clock, checkUrlPolicy, type SecretsBackend } from '@dual-auth/core';
import { createCachingSecretsBackend } from '@dual-auth/core/config';
import { azureReadFailure, isSecretNotFound } from './internal/azure-read-failure.ts';
import { azureSecretName, azureSecretPrefixPattern } from './internal/azure-secret-name.ts';

/**
 * Options of {@link createAzureSecretsBackend}.
 *
 * @example
 * ```ts
 * const options: AzureSecretsBackendOptions = {
 *   vaultUrl: 'https://finance-agents.vault.azure.net',
 *   credential: new WorkloadIdentityCredential(),
 *   timeoutMs: 5_000,
 * };
 * ```
 */
export interface AzureSecretsBackendOptions {
  /** The vault's URL, `https://<vault-name>.vault.azure.net`. */
  readonly vaultUrl: string | URL;
  /**
   * How to authenticate (a managed identity, workload identity, service principal…). Default: a
   * `DefaultAzureCredential`, created at the first read.
   */
  readonly credential?: TokenCredential;
  /** Prepended to every secret name (default `dual-auth-`): `AGENT_CLIENT_ID` → `dual-auth-agent-client-id`. */
  readonly prefix?: string;
  /** Retries of a failed request by the SDK (default 2); the whole read is bounded by `timeoutMs`. */
  readonly maxRetries?: number;
  /** How long a value is served from memory, ms (default 5 minutes; 0 disables caching). */
  readonly cacheTtlMs?: number;
  /** Longest a single read may take, including authentication and retries, ms (default 10 s). */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  /**
   * PEM certificates that replace the default trusted roots for the vault connection. For a
   * private endpoint behind your own CA, or tests; leave unset for Azure.
   */
  readonly ca?: string | readonly string[];
  /**
   * Skip the SDK's check that the bearer challenge names a resource in the vault's own domain.
   * Only for emulators and sovereign-cloud proxies that cannot pass it; never needed for Azure.
   */
  readonly disableChallengeResourceVerification?: boolean;
}

function checkOptions(options: AzureSecretsBackendOptions): { vaultUrl: string; prefix: string } {
  const url = checkUrlPolicy(options.vaultUrl);
  if (!url.ok) throw new TypeError(`createAzureSecretsBackend: vaultUrl ${url.problem}`);
  if (url.url.search !== '' || url.url.hash !== '')
    throw new TypeError('createAzureSecretsBackend: vaultUrl must not have a query or fragment');
  const prefix = options.prefix ?? 'dual-auth-';
  if (!azureSecretPrefixPattern.test(prefix))
    throw new TypeError('createAzureSecretsBackend: prefix may contain only letters, digits and hyphens');
  const maxRetries = options.maxRetries ?? 2;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10)
    throw new TypeError('createAzureSecretsBackend: maxRetries must be an integer from 0 to 10');
  if (options.credential !== undefined && typeof options.credential.getToken !== 'function')
    throw new TypeError('createAzureSecretsBackend: credential must be a TokenCredential');
  return { vaultUrl: url.url.href.replace(/\/$/, ''), prefix };
}

/**
 * A secrets backend that reads each setting from Azure Key Vault through the official
 * `@azure/keyvault-secrets` client: `AGENT_CLIENT_ID` is the secret `dual-auth-agent-client-id`.
 * The Azure SDK is loaded at the first read, so importing this package costs nothing until then.
 * Values are cached for `cacheTtlMs`; every failure is a `SecretsBackendError`.
 *
 * @example
 * ```ts
 * import { getConfig } from '@dual-auth/core/config';
 * import { createAzureSecretsBackend } from '@dual-auth/secrets-azure';
 *
 * const secretsBackend = createAzureSecretsBackend({ vaultUrl: 'https://finance-agents.vault.azure.net' });
 * const config = await getConfig({ vendor: 'entraid', secretsBackend });
 * ```
 */
export function createAzureSecretsBackend(options: AzureSecretsBackendOptions): SecretsBackend {
  const { vaultUrl, prefix } = checkOptions(options);
  let client: Promise<SecretClient> | undefined;

  const createClient = async (): Promise<SecretClient> => {
    const [{ SecretClient }, credential] = await Promise.all([
      import('@azure/keyvault-secrets'),
      options.credential ??
        import('@azure/identity').then((identity) => new identity.DefaultAzureCredential()),
    ]);
    const ca = options.ca;
    return new SecretClient(vaultUrl, credential, {
      retryOptions: { maxRetries: options.maxRetries ?? 2, retryDelayInMs: 250, maxRetryDelayInMs: 2000 },
      userAgentOptions: { userAgentPrefix: 'dual-auth' },
      ...(ca === undefined ? {} : { tlsOptions: { ca: typeof ca === 'string' ? ca : [...ca] } }),
      ...(options.disableChallengeResourceVerification === true
        ? { disableChallengeResourceVerification: true }
        : {}),
    });
  };

  const secretClient = (): Promise<SecretClient> => {
    client ??= createClient().catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    return client;
  };

  return createCachingSecretsBackend({
    name: 'azure',
    secretNameFor: (key) => azureSecretName(prefix, key),
    async read(secretName, signal) {
      try {
        const secret = await (await secretClient()).getSecret(secretName, { abortSignal: signal });
        return secret.value;
      } catch (error) {
        if (isSecretNotFound(error)) return undefined;
        throw azureReadFailure(secretName, error);
      }
    },
    ...(options.cacheTtlMs === undefined ? {} : { cacheTtlMs: options.cacheTtlMs }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    async close() {
      client = undefined;
    },
  });
}
