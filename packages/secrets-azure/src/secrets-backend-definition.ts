import {
  ConfigurationError,
  type Environment,
  requireSecureUrl,
  type SecretsBackend,
  type SecretsBackendDefinition,
} from '@dual-auth/core';
import { readEnvironmentSetting } from '@dual-auth/core/config';
import { createAzureSecretsBackend } from './create-azure-secrets-backend.ts';
import { azureSecretPrefixPattern } from './internal/azure-secret-name.ts';

const vaultUrlSetting = 'DUAL_AUTH_AZURE_VAULT_URL';

function createFromEnvironment(environment: Environment): SecretsBackend {
  const rawUrl = readEnvironmentSetting(environment, {
    name: vaultUrlSetting,
    pattern: /^[\s\S]+$/,
    expected: "your vault's URL, e.g. https://my-vault.vault.azure.net",
  });
  const vaultUrl = requireSecureUrl(rawUrl, vaultUrlSetting);
  if (vaultUrl.search !== '' || vaultUrl.hash !== '') {
    throw new ConfigurationError(`${vaultUrlSetting} must not have a query or fragment.`, {
      setting: vaultUrlSetting,
    });
  }
  const prefix = readEnvironmentSetting(environment, {
    name: 'DUAL_AUTH_AZURE_SECRET_PREFIX',
    defaultValue: 'dual-auth-',
    pattern: azureSecretPrefixPattern,
    expected: 'letters, digits and hyphens only, as Key Vault secret names allow',
  });
  return createAzureSecretsBackend({ vaultUrl, prefix });
}

/**
 * Lets `getConfig()` build this backend when `DUAL_AUTH_SECRETS_BACKEND` is `azure`, from
 * `DUAL_AUTH_AZURE_VAULT_URL` (required, https) and `DUAL_AUTH_AZURE_SECRET_PREFIX` (default
 * `dual-auth-`), authenticating with `DefaultAzureCredential`.
 *
 * @example
 * ```ts
 * const backend = await secretsBackendDefinition.create({
 *   DUAL_AUTH_AZURE_VAULT_URL: 'https://finance-agents.vault.azure.net',
 * });
 * ```
 */
export const secretsBackendDefinition: SecretsBackendDefinition = Object.freeze({
  type: 'azure',
  create: createFromEnvironment,
});
