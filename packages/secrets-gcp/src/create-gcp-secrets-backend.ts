import {
  type Environment,
  type Logger,
  type SecretsBackend,
  type SecretsBackendDefinition,
  SecretsBackendError,
} from '@dual-auth/core';
import {
  type CachingSecretsBackendOptions,
  createCachingSecretsBackend,
  logSecretReads,
  readEnvironmentSetting,
} from '@dual-auth/core/config';
import { silentLogger } from '@dual-auth/core/logging';
import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { crc32c } from './internal/crc32c.ts';
import { gcpError, gcpFailure, grpcCode } from './internal/gcp-failure.ts';

/**
 * Options of the `SecretManagerServiceClient` the backend creates: `apiEndpoint`, `port`,
 * `authClient`, `credentials`, `fallback`…
 *
 * @example
 * ```ts
 * const clientOptions: GcpClientOptions = { apiEndpoint: 'europe-west1-secretmanager.googleapis.com' };
 * ```
 */
export type GcpClientOptions = NonNullable<ConstructorParameters<typeof SecretManagerServiceClient>[0]>;

/**
 * Options of {@link createGcpSecretsBackend}.
 *
 * @example
 * ```ts
 * const options: GcpSecretsBackendOptions = { project: 'acme-prod', prefix: 'billing-', timeoutMs: 5_000 };
 * ```
 */
export interface GcpSecretsBackendOptions
  extends Pick<CachingSecretsBackendOptions, 'cacheTtlMs' | 'timeoutMs' | 'clock'> {
  /** The Google Cloud project holding the secrets (its id or number). */
  readonly project: string;
  /** Prepended to the secret id: `dual-auth-` (the default) reads `dual-auth-agent-client-id`. */
  readonly prefix?: string;
  /** The secret version to read (default `latest`). */
  readonly version?: string;
  /** A ready client to use (and not close); by default one is created on the first read. */
  readonly client?: SecretManagerServiceClient;
  /** Options of the client created on the first read. */
  readonly clientOptions?: GcpClientOptions;
  /** Receives one debug entry per service read and a warning per failure: names, never values. */
  readonly logger?: Logger;
}

const settingKey = /^[A-Za-z_][A-Za-z0-9_]*$/;
const secretIdPrefix = /^[A-Za-z0-9_-]{0,200}$/;
// A project id (6–30 lowercase letters, digits, hyphens), optionally domain-scoped, or a number.
const projectId = /^(?:(?:[a-z0-9-]+\.)*[a-z0-9-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$|^\d{1,20}$/;
const versionId = /^(?:latest|[1-9]\d{0,18})$/;
const defaultPrefix = 'dual-auth-';
const utf8 = new TextDecoder('utf-8', { fatal: true });

interface Payload {
  readonly data?: Uint8Array | string | null;
  readonly dataCrc32c?: number | string | { toString(): string } | null;
}

function payloadBytes(data: Payload['data']): Uint8Array {
  if (data === undefined || data === null) return new Uint8Array(0);
  // Bytes arrive as base64 text from JSON transports.
  return typeof data === 'string' ? Buffer.from(data, 'base64') : data;
}

/**
 * A secrets backend reading Google Cloud Secret Manager: the setting `AGENT_CLIENT_SECRET` is the
 * secret `dual-auth-agent-client-secret`, version `latest`, of `project`. The payload's CRC32C is
 * verified, the SDK is loaded on the first read, values are cached for `cacheTtlMs`, and every
 * failure is a `SecretsBackendError` naming the secret, never its value.
 *
 * @example
 * ```ts
 * import { getConfig } from '@dual-auth/core/config';
 * import { createGcpSecretsBackend } from '@dual-auth/secrets-gcp';
 *
 * const config = await getConfig({ secretsBackend: createGcpSecretsBackend({ project: 'acme-prod' }) });
 * ```
 */
export function createGcpSecretsBackend(options: GcpSecretsBackendOptions): SecretsBackend {
  const { project } = options ?? {};
  if (typeof project !== 'string' || !projectId.test(project)) {
    throw new TypeError('createGcpSecretsBackend: project must be a Google Cloud project id or number');
  }
  const prefix = options.prefix ?? defaultPrefix;
  if (!secretIdPrefix.test(prefix)) {
    throw new TypeError('createGcpSecretsBackend: prefix may contain only letters, digits, - and _');
  }
  const version = options.version ?? 'latest';
  if (!versionId.test(version)) {
    throw new TypeError('createGcpSecretsBackend: version must be latest or a version number');
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  let ownClient: Promise<SecretManagerServiceClient> | undefined;

  const getClient = (): Promise<SecretManagerServiceClient> => {
    if (options.client !== undefined) return Promise.resolve(options.client);
    ownClient ??= import('@google-cloud/secret-manager').then(
      ({ SecretManagerServiceClient }) => new SecretManagerServiceClient(options.clientOptions),
    );
    return ownClient;
  };

  const secretNameFor = (key: string): string => {
    if (!settingKey.test(key)) throw new TypeError('gcp secrets backend: a key must be a setting name');
    return `${prefix}${key.toLowerCase().replaceAll('_', '-')}`;
  };

  const decode = (payload: Payload | null | undefined, secretName: string, resourceName: string): string => {
    const bytes = payloadBytes(payload?.data);
    const expected = payload?.dataCrc32c;
    if (expected !== undefined && expected !== null && String(expected) !== String(crc32c(bytes))) {
      const problem = 'the payload does not match its CRC32C checksum (corrupted in transit)';
      throw gcpError(problem, secretName, resourceName);
    }
    try {
      return utf8.decode(bytes);
    } catch (error) {
      throw gcpError('the payload is not UTF-8 text', secretName, resourceName, error);
    }
  };

  const read = async (secretName: string, signal: AbortSignal): Promise<string | undefined> => {
    const resourceName = `projects/${project}/secrets/${secretName}/versions/${version}`;
    const client = await getClient();
    try {
      // No retries: a failing read surfaces at once, and the caller decides whether to try again.
      const call = client.accessSecretVersion({ name: resourceName }, { timeout: timeoutMs, retry: null });
      const cancel = () => (call as { cancel?: () => void }).cancel?.();
      signal.addEventListener('abort', cancel, { once: true });
      const [response] = await call.finally(() => signal.removeEventListener('abort', cancel));
      return decode(response.payload, secretName, resourceName);
    } catch (error) {
      if (grpcCode(error) === 5) return undefined;
      // A timeout or the caller's abort: the caching layer says which.
      if (signal.aborted || error instanceof SecretsBackendError) throw error;
      throw gcpFailure(error, secretName, resourceName);
    }
  };

  return createCachingSecretsBackend({
    ...options, // cacheTtlMs, clock
    name: 'gcp',
    secretNameFor,
    read: logSecretReads('gcp', options.logger ?? silentLogger, read),
    timeoutMs,
    close: async () => {
      const created = ownClient;
      ownClient = undefined;
      if (created !== undefined) await (await created).close();
    },
  });
}

/**
 * Lets `getConfig()` build this backend when `DUAL_AUTH_SECRETS_BACKEND=gcp`, from
 * `DUAL_AUTH_GCP_PROJECT` (required) and `DUAL_AUTH_GCP_SECRET_PREFIX` (default `dual-auth-`).
 * Credentials are the SDK's Application Default Credentials.
 *
 * @example
 * ```ts
 * const backend = await secretsBackendDefinition.create({ DUAL_AUTH_GCP_PROJECT: 'acme-prod' });
 * ```
 */
export const secretsBackendDefinition: SecretsBackendDefinition = Object.freeze({
  type: 'gcp',
  create(environment: Environment): SecretsBackend {
    const project = readEnvironmentSetting(environment, {
      name: 'DUAL_AUTH_GCP_PROJECT',
      pattern: projectId,
      expected: 'the id or number of the Google Cloud project that holds the secrets',
    });
    const prefix = readEnvironmentSetting(environment, {
      name: 'DUAL_AUTH_GCP_SECRET_PREFIX',
      defaultValue: defaultPrefix,
      pattern: secretIdPrefix,
      expected: 'at most 200 letters, digits, - and _',
    });
    return createGcpSecretsBackend({ project, prefix });
  },
});
