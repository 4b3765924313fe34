import { readFile } from 'node:fs/promises';
import {
  ConfigurationError,
  type Environment,
  requireSecureUrl,
  Secret,
  type SecretsBackend,
  type SecretsBackendDefinition,
} from '@dual-auth/core';
import { readEnvironmentSetting } from '@dual-auth/core/config';
import {
  createVaultSecretsBackend,
  DEFAULT_KUBERNETES_TOKEN_PATH,
  type VaultAuthentication,
} from './create-vault-secrets-backend.ts';
import {
  vaultMountPattern,
  vaultNamespacePattern,
  vaultPathPrefixPattern,
} from './internal/vault-secret-path.ts';

const anything = /^[\s\S]+$/;
const mountPath = 'a Vault path such as secret or teams/kv (letters, digits, _ . - and /)';

function optional(environment: Environment, name: string): string | undefined {
  const value = environment[name]?.trim();
  return value === '' ? undefined : value;
}

function missing(name: string, problem: string): ConfigurationError {
  return new ConfigurationError(`${name} ${problem}.`, { setting: name });
}

function mountSetting(environment: Environment, name: string, defaultValue: string): string {
  return readEnvironmentSetting(environment, {
    name,
    defaultValue,
    pattern: vaultMountPattern,
    expected: mountPath,
  });
}

function authenticationFrom(environment: Environment): VaultAuthentication {
  const token = optional(environment, 'VAULT_TOKEN');
  if (token !== undefined) return { method: 'token', token: new Secret(token) };
  const roleId = optional(environment, 'VAULT_ROLE_ID');
  const secretId = optional(environment, 'VAULT_SECRET_ID');
  if (roleId !== undefined || secretId !== undefined) {
    if (roleId === undefined)
      throw missing('VAULT_ROLE_ID', 'is not set, but VAULT_SECRET_ID is (AppRole needs both)');
    if (secretId === undefined)
      throw missing('VAULT_SECRET_ID', 'is not set, but VAULT_ROLE_ID is (AppRole needs both)');
    return {
      method: 'approle',
      roleId: new Secret(roleId),
      secretId: new Secret(secretId),
      mount: mountSetting(environment, 'VAULT_APPROLE_MOUNT', 'approle'),
    };
  }
  const role = optional(environment, 'VAULT_K8S_ROLE');
  if (role !== undefined) {
    return {
      method: 'kubernetes',
      role,
      jwtPath: optional(environment, 'VAULT_K8S_TOKEN_PATH') ?? DEFAULT_KUBERNETES_TOKEN_PATH,
      mount: mountSetting(environment, 'VAULT_K8S_MOUNT', 'kubernetes'),
    };
  }
  throw missing(
    'VAULT_TOKEN',
    'is not set, and no other Vault authentication is configured: set VAULT_TOKEN, or VAULT_ROLE_ID and VAULT_SECRET_ID (AppRole), or VAULT_K8S_ROLE (Kubernetes)',
  );
}

async function certificateAuthority(environment: Environment): Promise<string | undefined> {
  const path = optional(environment, 'VAULT_CACERT');
  if (path === undefined) return undefined;
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ConfigurationError(
      `VAULT_CACERT names a file that cannot be read (${String(code ?? 'error')}).`,
      {
        setting: 'VAULT_CACERT',
        cause: error,
      },
    );
  }
}

async function createFromEnvironment(environment: Environment): Promise<SecretsBackend> {
  const rawAddress = readEnvironmentSetting(environment, {
    name: 'VAULT_ADDR',
    pattern: anything,
    expected: "Vault's address, e.g. https://vault.example.com:8200",
  });
  const insecureLoopback = readEnvironmentSetting(environment, {
    name: 'DUAL_AUTH_ALLOW_INSECURE_LOOPBACK',
    defaultValue: 'false',
    pattern: /^(?:true|false|1|0)$/i,
    expected: 'true or false',
  }).toLowerCase();
  const allowInsecureLoopback = insecureLoopback === 'true' || insecureLoopback === '1';
  const address = requireSecureUrl(rawAddress, 'VAULT_ADDR', { allowInsecureLoopback });
  if (address.search !== '' || address.hash !== '')
    throw missing('VAULT_ADDR', 'must not have a query or fragment');
  const namespace = optional(environment, 'VAULT_NAMESPACE');
  if (namespace !== undefined && !vaultNamespacePattern.test(namespace))
    throw missing('VAULT_NAMESPACE', 'must be a namespace path such as admin/finance');
  const authentication = authenticationFrom(environment);
  const ca = await certificateAuthority(environment);
  return createVaultSecretsBackend({
    address,
    authentication,
    allowInsecureLoopback,
    mount: mountSetting(environment, 'DUAL_AUTH_VAULT_MOUNT', 'secret'),
    pathPrefix: readEnvironmentSetting(environment, {
      name: 'DUAL_AUTH_VAULT_PATH_PREFIX',
      defaultValue: 'dual-auth/',
      pattern: vaultPathPrefixPattern,
      expected: 'a path prefix such as dual-auth/ (letters, digits, _ . - and /)',
    }),
    ...(namespace === undefined ? {} : { namespace }),
    ...(ca === undefined ? {} : { ca }),
  });
}

/**
 * Lets `getConfig()` build this backend when `DUAL_AUTH_SECRETS_BACKEND` is `vault`, from
 * `VAULT_ADDR`, the authentication settings (`VAULT_TOKEN`; or `VAULT_ROLE_ID` and
 * `VAULT_SECRET_ID`; or `VAULT_K8S_ROLE`), `VAULT_NAMESPACE`, `VAULT_CACERT`,
 * `DUAL_AUTH_VAULT_MOUNT` (default `secret`) and `DUAL_AUTH_VAULT_PATH_PREFIX` (default `dual-auth/`).
 *
 * @example
 * ```ts
 * const backend = await secretsBackendDefinition.create({
 *   VAULT_ADDR: 'https://vault.example.com:8200',
 *   VAULT_K8S_ROLE: 'finance-agent',
 * });
 * ```
 */
export const secretsBackendDefinition: SecretsBackendDefinition = Object.freeze({
  type: 'vault',
  create: createFromEnvironment,
});
