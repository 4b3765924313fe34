import { readFile } from 'node:fs/promises';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import {
  type Clock,
  checkUrlPolicy,
  Secret,
  type SecretsBackend,
  SecretsBackendError,
  systemClock,
} from '@dual-auth/core';
import { createCachingSecretsBackend } from '@dual-auth/core/config';
import type NodeVault from 'node-vault';
import {
  hasStatus,
  isMissingSecret,
  type VaultFailureContext,
  VaultTokenFileError,
  vaultReadFailure,
} from './internal/vault-read-failure.ts';
import {
  vaultMountPattern,
  vaultNamespacePattern,
  vaultPathPrefixPattern,
  vaultSecretPath,
} from './internal/vault-secret-path.ts';
import { createVaultSession, VaultLoginFailure, type VaultSession } from './internal/vault-session.ts';
import { vaultRequestPromise } from './internal/vault-transport.ts';

/**
 * Where a Kubernetes pod finds its service account token.
 *
 * @example
 * ```ts
 * const jwt = await readFile(process.env.VAULT_K8S_TOKEN_PATH ?? DEFAULT_KUBERNETES_TOKEN_PATH, 'utf8');
 * ```
 */
export const DEFAULT_KUBERNETES_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * How the backend authenticates to Vault. Credentials may be given as `Secret`s.
 *
 * @example
 * ```ts
 * const authentication: VaultAuthentication = {
 *   method: 'approle',
 *   roleId: new Secret(process.env.VAULT_ROLE_ID ?? ''),
 *   secretId: new Secret(process.env.VAULT_SECRET_ID ?? ''),
 * };
 * ```
 */
export type VaultAuthentication =
  | {
      /** A token from `VAULT_TOKEN`, Vault Agent or your platform; used as given, never renewed. */
      readonly method: 'token';
      readonly token: Secret | string;
    }
  | {
      /** AppRole: `auth/<mount>/login` with a role id and secret id. */
      readonly method: 'approle';
      readonly roleId: Secret | string;
      readonly secretId: Secret | string;
      /** The AppRole auth mount (default `approle`). */
      readonly mount?: string;
    }
  | {
      /** Kubernetes: `auth/<mount>/login` with the pod's service account JWT, read at each login. */
      readonly method: 'kubernetes';
      readonly role: string;
      /** The JWT itself; default: read from `jwtPath`. */
      readonly jwt?: Secret | string;
      /** Default `/var/run/secrets/kubernetes.io/serviceaccount/token`. */
      readonly jwtPath?: string;
      /** The Kubernetes auth mount (default `kubernetes`). */
      readonly mount?: string;
    };

/**
 * Options of {@link createVaultSecretsBackend}.
 *
 * @example
 * ```ts
 * const options: VaultSecretsBackendOptions = {
 *   address: 'https://vault.example.com:8200',
 *   authentication: { method: 'kubernetes', role: 'finance-agent' },
 *   namespace: 'admin/finance',
 * };
 * ```
 */
export interface VaultSecretsBackendOptions {
  /** Vault's address, `VAULT_ADDR` (https; http only on loopback with `allowInsecureLoopback`). */
  readonly address: string | URL;
  readonly authentication: VaultAuthentication;
  /** Vault Enterprise namespace, sent as `X-Vault-Namespace` on every request. */
  readonly namespace?: string;
  /** The KV version 2 mount (default `secret`). */
  readonly mount?: string;
  /** Prepended to each secret path (default `dual-auth/`): `AGENT_CLIENT_ID` → `dual-auth/agent-client-id`. */
  readonly pathPrefix?: string;
  /** Accept an `http:` address on a loopback host (tests, local dev). */
  readonly allowInsecureLoopback?: boolean;
  /** PEM certificates that replace the default trusted roots (`VAULT_CACERT`). */
  readonly ca?: string | readonly string[];
  /** How long a value is served from memory, ms (default 5 minutes; 0 disables caching). */
  readonly cacheTtlMs?: number;
  /** Longest a single read may take, login included, ms (default 10 s). */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
}

const valueField = 'value';

function secretOption(value: unknown, name: string): Secret {
  if (value instanceof Secret && !value.isEmpty) return value;
  if (typeof value === 'string' && value !== '') return new Secret(value);
  throw new TypeError(`createVaultSecretsBackend: ${name} must be a non-empty string or Secret`);
}

function authMount(value: string | undefined, fallback: string): string {
  const mount = value ?? fallback;
  if (!vaultMountPattern.test(mount))
    throw new TypeError('createVaultSecretsBackend: the auth mount is not a Vault path');
  return mount;
}

type LoginBody = Record<string, string>;

interface CheckedAuthentication {
  readonly fixedToken?: Secret;
  readonly describe: string;
  readonly mount: string;
  readonly loginBody: () => Promise<LoginBody>;
}

function checkAuthentication(authentication: VaultAuthentication | undefined): CheckedAuthentication {
  switch (authentication?.method) {
    case 'token':
      return {
        fixedToken: secretOption(authentication.token, 'token'),
        describe: 'token',
        mount: 'token',
        loginBody: async () => ({}),
      };
    case 'approle': {
      const roleId = secretOption(authentication.roleId, 'roleId');
      const secretId = secretOption(authentication.secretId, 'secretId');
      return {
        describe: 'AppRole login',
        mount: authMount(authentication.mount, 'approle'),
        loginBody: async () => ({ role_id: roleId.reveal(), secret_id: secretId.reveal() }),
      };
    }
    case 'kubernetes': {
      const { role, jwtPath = DEFAULT_KUBERNETES_TOKEN_PATH } = authentication;
      if (typeof role !== 'string' || role === '')
        throw new TypeError('createVaultSecretsBackend: the Kubernetes role must be a non-empty string');
      const jwt = authentication.jwt === undefined ? undefined : secretOption(authentication.jwt, 'jwt');
      return {
        describe: 'Kubernetes login',
        mount: authMount(authentication.mount, 'kubernetes'),
        // Projected service account tokens rotate, so the file is read at every login.
        loginBody: async () => ({ role, jwt: jwt?.reveal() ?? (await readFile(jwtPath, 'utf8')).trim() }),
      };
    }
    default:
      throw new TypeError(
        "createVaultSecretsBackend: authentication.method must be 'token', 'approle' or 'kubernetes'",
      );
  }
}

function checkOptions(options: VaultSecretsBackendOptions) {
  const url = checkUrlPolicy(options.address, {
    allowInsecureLoopback: options.allowInsecureLoopback === true,
  });
  if (!url.ok) throw new TypeError(`createVaultSecretsBackend: address ${url.problem}`);
  if (url.url.search !== '' || url.url.hash !== '')
    throw new TypeError('createVaultSecretsBackend: address must not have a query or fragment');
  const mount = (options.mount ?? 'secret').replace(/^\/|\/$/g, '');
  if (!vaultMountPattern.test(mount))
    throw new TypeError('createVaultSecretsBackend: mount is not a Vault path');
  const pathPrefix = options.pathPrefix ?? 'dual-auth/';
  if (!vaultPathPrefixPattern.test(pathPrefix))
    throw new TypeError('createVaultSecretsBackend: pathPrefix may hold only letters, digits, _ . - and /');
  if (options.namespace !== undefined && !vaultNamespacePattern.test(options.namespace))
    throw new TypeError('createVaultSecretsBackend: namespace is not a Vault namespace path');
  return {
    url: url.url,
    mount,
    pathPrefix,
    authentication: checkAuthentication(options.authentication),
  };
}

/**
 * A secrets backend that reads each setting from HashiCorp Vault's KV version 2 engine through
 * `node-vault`: `AGENT_CLIENT_ID` is the field `value` of `secret/dual-auth/agent-client-id`
 * (API path `secret/data/dual-auth/agent-client-id`). Authenticates with a token, AppRole or
 * Kubernetes; login tokens are renewed before their lease ends and replaced by a new login when
 * they expire or are refused. node-vault is loaded at the first read.
 *
 * @example
 * ```ts
 * import { Secret } from '@dual-auth/core';
 * import { getConfig } from '@dual-auth/core/config';
 * import { createVaultSecretsBackend } from '@dual-auth/secrets-vault';
 *
 * const secretsBackend = createVaultSecretsBackend({
 *   address: 'https://vault.example.com:8200',
 *   authentication: { method: 'kubernetes', role: 'finance-agent' },
 * });
 * const config = await getConfig({ vendor: 'okta', secretsBackend });
 * ```
 */
export function createVaultSecretsBackend(options: VaultSecretsBackendOptions): SecretsBackend {
  const { url, mount, pathPrefix, authentication } = checkOptions(options);
  const endpoint = url.href.replace(/\/$/, '');
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const ca =
    options.ca === undefined ? undefined : typeof options.ca === 'string' ? options.ca : [...options.ca];
  let connection: Promise<{ client: NodeVault.client; agent: HttpAgent | HttpsAgent }> | undefined;

  const connect = async () => {
    const [{ default: nodeVault }, agent] = await Promise.all([
      import('node-vault'),
      url.protocol === 'https:'
        ? import('node:https').then(
            (https) => new https.Agent({ keepAlive: true, ...(ca === undefined ? {} : { ca }) }),
          )
        : import('node:http').then((http) => new http.Agent({ keepAlive: true })),
    ]);
    // Its debug output would print login bodies (the credentials) when DEBUG=node-vault is set.
    // Its transport is replaced by one that honours the read's abort signal (see vault-transport).
    const client = nodeVault({ endpoint, debug: () => {}, 'request-promise': vaultRequestPromise });
    // node-vault falls back to process.env (VAULT_TOKEN, VAULT_NAMESPACE, VAULT_PREFIX): only
    // what this backend was given may apply.
    Object.assign(client, { token: '', namespace: options.namespace ?? '', pathPrefix: '' });
    return { client, agent };
  };

  const vault = () => {
    connection ??= connect().catch((error: unknown) => {
      connection = undefined;
      throw error;
    });
    return connection;
  };

  const requestOptions = (agent: HttpAgent | HttpsAgent, token?: string, signal?: AbortSignal) => ({
    timeout: timeoutMs,
    ...(url.protocol === 'https:' ? { httpsAgent: agent } : { httpAgent: agent }),
    ...(token === undefined ? {} : { headers: { 'X-Vault-Token': token } }),
    ...(signal === undefined ? {} : { signal }),
  });

  // The tokens stay in the session; node-vault's own copy (set by its login calls) is cleared.
  const authCall = async (
    call: (client: NodeVault.client, agent: HttpAgent | HttpsAgent) => Promise<unknown>,
  ) => {
    const { client, agent } = await vault();
    try {
      return ((await call(client, agent)) as { auth?: Record<string, unknown> } | undefined)?.auth;
    } finally {
      client.token = '';
    }
  };

  const session: VaultSession = createVaultSession({
    ...(authentication.fixedToken === undefined ? {} : { fixedToken: authentication.fixedToken }),
    clock,
    async login() {
      const body = await authentication.loginBody().catch((error: unknown) => {
        throw new VaultTokenFileError(error);
      });
      return authCall((client, agent) =>
        client.write(`auth/${authentication.mount}/login`, body, requestOptions(agent)),
      );
    },
    renew: (token) =>
      authCall((client, agent) => client.write('auth/token/renew-self', {}, requestOptions(agent, token))),
  });

  const failureContext = (stage: VaultFailureContext['stage']): VaultFailureContext => ({
    stage,
    authentication: authentication.describe,
    deniedMeaning: session.canLogin
      ? "access denied: the token's policy lacks read on this path"
      : 'permission denied: the token is invalid or expired, or its policy lacks read on this path',
  });

  const tokenFor = async (secretPath: string) => {
    try {
      return await session.token();
    } catch (error) {
      const cause = error instanceof VaultLoginFailure ? error.cause : error;
      const stage = cause instanceof VaultTokenFileError ? 'token file' : 'login';
      throw vaultReadFailure(
        secretPath,
        cause instanceof VaultTokenFileError ? cause.cause : cause,
        failureContext(stage),
      );
    }
  };

  const readValue = async (
    secretPath: string,
    token: string,
    signal: AbortSignal,
  ): Promise<string | undefined> => {
    const { client, agent } = await vault();
    let answer: unknown;
    try {
      answer = await client.read(secretPath, requestOptions(agent, token, signal));
    } catch (error) {
      if (isMissingSecret(error)) return undefined;
      throw error;
    }
    const data = (answer as { data?: { data?: Record<string, unknown> | null } } | undefined)?.data?.data;
    const value = data?.[valueField];
    if (typeof value === 'string') return value;
    throw new SecretsBackendError(
      `vault secrets backend: the secret has no text field "${valueField}" for "${secretPath}"; store it with vault kv put <path> ${valueField}=….`,
      { backend: 'vault', secretName: secretPath },
    );
  };

  const readFailure = (secretPath: string, error: unknown) =>
    error instanceof SecretsBackendError
      ? error
      : vaultReadFailure(secretPath, error, failureContext('read'));

  return createCachingSecretsBackend({
    name: 'vault',
    secretNameFor: (key) => vaultSecretPath(mount, pathPrefix, key),
    // `signal` aborts the HTTP read at the timeout. Logins and renewals are shared by every read
    // waiting for a token, so one read's timeout does not cancel them (they have their own).
    async read(secretPath, signal) {
      const first = await tokenFor(secretPath);
      try {
        return await readValue(secretPath, first.token, signal);
      } catch (error) {
        // Vault answers 403 for an expired or revoked token too: log in again once; a 403 with a
        // token just obtained is the policy's answer.
        if (!(hasStatus(error, 403) && session.canLogin && !first.fresh))
          throw readFailure(secretPath, error);
      }
      session.invalidate(first.token);
      const second = await tokenFor(secretPath);
      try {
        return await readValue(secretPath, second.token, signal);
      } catch (error) {
        throw readFailure(secretPath, error);
      }
    },
    ...(options.cacheTtlMs === undefined ? {} : { cacheTtlMs: options.cacheTtlMs }),
    timeoutMs,
    clock,
    async close() {
      const open = connection;
      connection = undefined;
      (await open?.catch(() => undefined))?.agent.destroy();
    },
  });
}
