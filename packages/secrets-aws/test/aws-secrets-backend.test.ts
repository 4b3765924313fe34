import { inspect } from 'node:util';
import { createJsonLinesLogger } from '@dual-auth/core/logging';
import { describeSecretsBackend, expectSecretsBackendError } from '@dual-auth/testkit/conformance';
import {
  type AwsSecretsManagerEmulator,
  emulatorHarness,
  startAwsSecretsManagerEmulator,
} from '@dual-auth/testkit/emulators';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AwsSecretsBackendOptions, createAwsSecretsBackend } from '../src/index.ts';

beforeAll(() => {
  // No credential or region lookups outside the test: explicit credentials are always passed.
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_CONFIG_FILE = '/dev/null';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
});

function backendFor(aws: AwsSecretsManagerEmulator, options: AwsSecretsBackendOptions = {}) {
  return createAwsSecretsBackend({
    clientConfig: { endpoint: aws.endpoint, credentials: aws.credentials },
    timeoutMs: 1_000,
    ...options,
  });
}

describeSecretsBackend('aws', async () => {
  const aws = await startAwsSecretsManagerEmulator();
  return emulatorHarness(aws, backendFor(aws));
});

describe('aws secrets backend against the emulator', () => {
  let aws: AwsSecretsManagerEmulator;
  beforeEach(async () => {
    aws = await startAwsSecretsManagerEmulator({ region: 'eu-west-1' });
  });
  afterEach(() => aws.close());

  const failure = (read: Promise<unknown>) => expectSecretsBackendError(read, 'aws');

  it('reads dual-auth/<KEY> in the configured region, and a custom prefix', async () => {
    aws.put('dual-auth/AGENT_CLIENT_ID', 'finance-agent');
    aws.put('prod/app/AGENT_CLIENT_ID', 'prod-agent');
    await expect(backendFor(aws, { region: 'eu-west-1' }).getSecret('AGENT_CLIENT_ID')).resolves.toBe(
      'finance-agent',
    );
    const prefixed = backendFor(aws, { region: 'eu-west-1', prefix: 'prod/app/' });
    await expect(prefixed.getSecret('AGENT_CLIENT_ID')).resolves.toBe('prod-agent');
  });

  it('returns a JSON secret string verbatim, without parsing it', async () => {
    const json = '{"username":"agent","password":"p@ss","nested":{"a":[1,2]}}';
    aws.put('dual-auth/AGENT_CLIENT_SECRET', json);
    await expect(backendFor(aws, { region: 'eu-west-1' }).getSecret('AGENT_CLIENT_SECRET')).resolves.toBe(
      json,
    );
  });

  it('decodes a SecretBinary as UTF-8 text, and refuses bytes that are not UTF-8', async () => {
    aws.put('dual-auth/APP_ID', new TextEncoder().encode('app-✓-42'));
    aws.put('dual-auth/API_SCOPE', new Uint8Array([0xff, 0xfe, 0x00]));
    const backend = backendFor(aws, { region: 'eu-west-1' });
    await expect(backend.getSecret('APP_ID')).resolves.toBe('app-✓-42');
    const error = await failure(backend.getSecret('API_SCOPE'));
    expect(error.message).toBe(
      'aws secrets backend: the binary secret "dual-auth/API_SCOPE" is not UTF-8 text.',
    );
  });

  it('says access denied with the IAM permission to grant', async () => {
    aws.put('dual-auth/AGENT_CLIENT_SECRET', 'value');
    aws.deny('dual-auth/AGENT_CLIENT_SECRET');
    const error = await failure(backendFor(aws, { region: 'eu-west-1' }).getSecret('AGENT_CLIENT_SECRET'));
    expect(error).toMatchObject({ backend: 'aws', secretName: 'dual-auth/AGENT_CLIENT_SECRET' });
    expect(error.message).toContain('access denied (AccessDeniedException)');
    expect(error.message).toContain('secretsmanager:GetSecretValue');
    expect((error.cause as Error).name).toBe('AccessDeniedException');
  });

  it.each([
    [
      'an unknown access key',
      { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' },
      'UnrecognizedClientException',
    ],
    ['a wrong secret key', undefined, 'InvalidSignatureException'],
  ])('reports %s as an authentication failure', async (_label, credentials, kind) => {
    aws.put('dual-auth/AGENT_CLIENT_ID', 'finance-agent');
    const wrong = credentials ?? { accessKeyId: aws.credentials.accessKeyId, secretAccessKey: 'not-the-key' };
    const backend = backendFor(aws, {
      region: 'eu-west-1',
      clientConfig: { endpoint: aws.endpoint, credentials: wrong },
    });
    const error = await failure(backend.getSecret('AGENT_CLIENT_ID'));
    expect(error.message).toBe(
      `aws secrets backend: authentication failed (${kind}): check the AWS credentials and region, reading "dual-auth/AGENT_CLIENT_ID".`,
    );
  });

  it('reports expired credentials as an authentication failure', async () => {
    aws.setFaults({ authFailure: 'ExpiredTokenException' });
    const error = await failure(backendFor(aws, { region: 'eu-west-1' }).getSecret('AGENT_CLIENT_ID'));
    expect(error.message).toContain('authentication failed (ExpiredTokenException)');
  });

  it('reports a refused connection as unreachable', async () => {
    await aws.makeUnreachable();
    const error = await failure(backendFor(aws, { region: 'eu-west-1' }).getSecret('AGENT_CLIENT_ID'));
    expect(error.message).toBe(
      'aws secrets backend: the service is unreachable (ECONNREFUSED), reading "dual-auth/AGENT_CLIENT_ID".',
    );
  });

  it('retries a throttled or unavailable service a bounded number of times (2 attempts by default)', async () => {
    // Room for the SDK's back-off (up to ~1 s for throttling) before the second attempt.
    const patient = () => backendFor(aws, { region: 'eu-west-1', timeoutMs: 10_000 });
    aws.setFaults({ throttling: true });
    const error = await failure(patient().getSecret('AGENT_CLIENT_ID'));
    expect(error.message).toContain('the read failed (ThrottlingException)');
    expect(aws.requestCount).toBe(2);
    aws.setFaults({ unavailable: true });
    const unavailable = await failure(patient().getSecret('AGENT_CLIENT_ID'));
    expect(unavailable.message).toContain('(ServiceUnavailable)');
  });

  it('gives up after timeoutMs on a slow service, however many attempts remain', async () => {
    aws.setFaults({ latencyMs: 3_000 });
    const started = performance.now();
    const error = await failure(
      backendFor(aws, { region: 'eu-west-1', timeoutMs: 200 }).getSecret('AGENT_CLIENT_ID'),
    );
    expect(error.message).toBe(
      'aws secrets backend: no answer within 200 ms for "dual-auth/AGENT_CLIENT_ID".',
    );
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('uses an injected client and leaves it open on close()', async () => {
    const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    const client = new SecretsManagerClient({
      region: 'eu-west-1',
      endpoint: aws.endpoint,
      credentials: aws.credentials,
      maxAttempts: 1,
    });
    aws.put('dual-auth/AGENT_CLIENT_ID', 'finance-agent');
    const backend = createAwsSecretsBackend({ client });
    await expect(backend.getSecret('AGENT_CLIENT_ID')).resolves.toBe('finance-agent');
    await backend.close?.();
    aws.put('dual-auth/AGENT_CLIENT_SECRET', 'still-usable');
    await expect(createAwsSecretsBackend({ client }).getSecret('AGENT_CLIENT_SECRET')).resolves.toBe(
      'still-usable',
    );
    client.destroy();
  });

  it('never puts a secret value in errors, logs, JSON or inspection (canary)', async () => {
    const canary = 'canary-aws-secret-5e1b77';
    const lines: string[] = [];
    const logger = createJsonLinesLogger({ level: 'debug', write: (line) => lines.push(line) });
    aws.put('dual-auth/AGENT_CLIENT_SECRET', canary);
    aws.put('dual-auth/API_AUDIENCE', canary);
    aws.deny('dual-auth/API_AUDIENCE');
    aws.put('dual-auth/APP_ID', new Uint8Array([0xc3, 0x28, ...new TextEncoder().encode(canary)]));
    const backend = backendFor(aws, { region: 'eu-west-1', logger });
    await expect(backend.getSecret('AGENT_CLIENT_SECRET')).resolves.toBe(canary);
    const errors = [
      await failure(backend.getSecret('API_AUDIENCE')),
      await failure(backend.getSecret('APP_ID')),
    ];
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const text of [
      ...lines,
      ...errors.flatMap((error) => [error.message, JSON.stringify(error), inspect(error, { depth: 0 })]),
      JSON.stringify(backend),
      inspect(backend, { depth: 10, showHidden: true }),
    ]) {
      expect(text).not.toContain(canary);
    }
    // The cause is a summary (class, code, status), not the SDK error with its request metadata.
    const [denied] = errors;
    expect(denied?.cause).toBeInstanceOf(Error);
    expect(((denied?.cause ?? {}) as Error).message).toMatch(/^AccessDeniedException\b[\w .-]*$/);
    for (const error of errors) {
      const deep = inspect(error, { depth: 10, showHidden: true });
      for (const detail of [
        aws.credentials.accessKeyId,
        aws.credentials.secretAccessKey,
        '$metadata',
        '$response',
        'requestId',
        'AWS4-HMAC',
        'x-amz',
      ]) {
        expect(deep).not.toContain(detail);
      }
    }
  });
});
