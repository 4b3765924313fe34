import type { SecretsManagerClient, SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
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
import { awsFailure } from './internal/aws-failure.ts';

/**
 * Options of {@link createAwsSecretsBackend}.
 *
 * @example
 * ```ts
 * const options: AwsSecretsBackendOptions = { region: 'eu-west-1', prefix: 'prod/dual-auth/', cacheTtlMs: 60_000 };
 * ```
 */
export interface AwsSecretsBackendOptions
  extends Pick<CachingSecretsBackendOptions, 'cacheTtlMs' | 'timeoutMs' | 'clock'> {
  /** The AWS region of the secrets (default `us-east-1`); ignored when `client` is given. */
  readonly region?: string;
  /** Prepended to every setting key: `dual-auth/` (the default) reads `dual-auth/AGENT_CLIENT_ID`. */
  readonly prefix?: string;
  /** A ready client to use (and not close); by default one is created on the first read. */
  readonly client?: SecretsManagerClient;
  /**
   * Extra configuration for the client created on the first read (`endpoint`, `credentials`,
   * `maxAttempts`…), over the defaults `{ region, maxAttempts: 2 }`.
   */
  readonly clientConfig?: SecretsManagerClientConfig;
  /** Receives one debug entry per service read and a warning per failure: names, never values. */
  readonly logger?: Logger;
}

const settingKey = /^[A-Za-z_][A-Za-z0-9_]*$/;
const secretNamePrefix = /^[A-Za-z0-9/_+=.@-]{0,256}$/;
const awsRegion = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const defaultPrefix = 'dual-auth/';
const defaultRegion = 'us-east-1';
const utf8 = new TextDecoder('utf-8', { fatal: true });

type AwsSdk = typeof import('@aws-sdk/client-secrets-manager');

function decodeBinary(bytes: Uint8Array, secretName: string): string {
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new SecretsBackendError(
      `aws secrets backend: the binary secret "${secretName}" is not UTF-8 text.`,
      { backend: 'aws', secretName, cause: error },
    );
  }
}

/**
 * A secrets backend reading AWS Secrets Manager: the setting `AGENT_CLIENT_SECRET` is the secret
 * `dual-auth/AGENT_CLIENT_SECRET` (its `SecretString`, or its `SecretBinary` as UTF-8 text). The
 * AWS SDK is loaded on the first read, values are cached for `cacheTtlMs`, and every failure is a
 * `SecretsBackendError` naming the secret, never its value.
 *
 * @example
 * ```ts
 * import { getConfig } from '@dual-auth/core/config';
 * import { createAwsSecretsBackend } from '@dual-auth/secrets-aws';
 *
 * const config = await getConfig({ secretsBackend: createAwsSecretsBackend({ region: 'eu-west-1' }) });
 * ```
 */
export function createAwsSecretsBackend(options: AwsSecretsBackendOptions = {}): SecretsBackend {
  const prefix = options.prefix ?? defaultPrefix;
  const region = options.region ?? defaultRegion;
  if (!secretNamePrefix.test(prefix)) {
    throw new TypeError('createAwsSecretsBackend: prefix may contain only letters, digits and /_+=.@-');
  }
  if (!awsRegion.test(region)) {
    throw new TypeError('createAwsSecretsBackend: region must be an AWS region such as us-east-1');
  }
  let sdk: Promise<AwsSdk> | undefined;
  let ownClient: Promise<SecretsManagerClient> | undefined;

  const loadSdk = () => {
    sdk ??= import('@aws-sdk/client-secrets-manager');
    return sdk;
  };
  const getClient = async (): Promise<SecretsManagerClient> => {
    if (options.client !== undefined) return options.client;
    ownClient ??= loadSdk().then(
      ({ SecretsManagerClient }) =>
        new SecretsManagerClient({ region, maxAttempts: 2, ...options.clientConfig }),
    );
    return ownClient;
  };

  const secretNameFor = (key: string): string => {
    if (!settingKey.test(key)) throw new TypeError('aws secrets backend: a key must be a setting name');
    return `${prefix}${key}`;
  };

  const read = async (secretName: string, signal: AbortSignal): Promise<string | undefined> => {
    const [{ GetSecretValueCommand }, client] = await Promise.all([loadSdk(), getClient()]);
    try {
      const output = await client.send(new GetSecretValueCommand({ SecretId: secretName }), {
        abortSignal: signal,
      });
      return (
        output.SecretString ??
        (output.SecretBinary === undefined ? undefined : decodeBinary(output.SecretBinary, secretName))
      );
    } catch (error) {
      if ((error as { name?: unknown } | null)?.name === 'ResourceNotFoundException') return undefined;
      // A timeout or the caller's abort: the caching layer says which.
      if (signal.aborted || error instanceof SecretsBackendError) throw error;
      throw awsFailure(error, secretName);
    }
  };

  return createCachingSecretsBackend({
    ...options, // cacheTtlMs, timeoutMs, clock
    name: 'aws',
    secretNameFor,
    read: logSecretReads('aws', options.logger ?? silentLogger, read),
    close: async () => {
      const created = ownClient;
      ownClient = undefined;
      if (created !== undefined) (await created).destroy();
    },
  });
}

/**
 * Lets `getConfig()` build this backend when `DUAL_AUTH_SECRETS_BACKEND=aws`, from
 * `DUAL_AUTH_AWS_REGION` (default `us-east-1`) and `DUAL_AUTH_AWS_SECRET_PREFIX` (default
 * `dual-auth/`). Credentials come from the AWS SDK's default chain.
 *
 * @example
 * ```ts
 * const backend = await secretsBackendDefinition.create({ DUAL_AUTH_AWS_REGION: 'eu-west-1' });
 * ```
 */
export const secretsBackendDefinition: SecretsBackendDefinition = Object.freeze({
  type: 'aws',
  create(environment: Environment): SecretsBackend {
    const region = readEnvironmentSetting(environment, {
      name: 'DUAL_AUTH_AWS_REGION',
      defaultValue: defaultRegion,
      pattern: awsRegion,
      expected: 'an AWS region such as us-east-1',
    });
    const prefix = readEnvironmentSetting(environment, {
      name: 'DUAL_AUTH_AWS_SECRET_PREFIX',
      defaultValue: defaultPrefix,
      pattern: secretNamePrefix,
      expected: 'at most 256 letters, digits and /_+=.@-',
    });
    return createAwsSecretsBackend({ region, prefix });
  },
});
