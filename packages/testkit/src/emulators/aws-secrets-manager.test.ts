import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AwsSecretsManagerEmulator, startAwsSecretsManagerEmulator } from './aws-secrets-manager.ts';

let aws: AwsSecretsManagerEmulator;

beforeAll(() => {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_CONFIG_FILE = '/dev/null';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
});
beforeEach(async () => {
  aws = await startAwsSecretsManagerEmulator();
});
afterEach(() => aws.close());

function client(overrides: Partial<ConstructorParameters<typeof SecretsManagerClient>[0]> = {}) {
  return new SecretsManagerClient({
    endpoint: aws.endpoint,
    region: aws.region,
    credentials: aws.credentials,
    maxAttempts: 1,
    ...overrides,
  });
}

const read = (sdk: SecretsManagerClient, secretId: string) =>
  sdk.send(new GetSecretValueCommand({ SecretId: secretId }));

async function failureName(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason as Error,
  );
  expect(error, 'the request should have failed').toBeInstanceOf(Error);
  return (error as Error & { code?: string }).name === 'Error'
    ? String((error as Error & { code?: string }).code)
    : (error as Error).name;
}

describe('AWS Secrets Manager emulator, through the real SDK', () => {
  it('answers GetSecretValue with SecretString, VersionStages and the secret name', async () => {
    aws.put('dual-auth/AGENT_CLIENT_ID', 'finance-agent');
    const output = await read(client(), 'dual-auth/AGENT_CLIENT_ID');
    expect(output).toMatchObject({
      Name: 'dual-auth/AGENT_CLIENT_ID',
      SecretString: 'finance-agent',
      VersionStages: ['AWSCURRENT'],
    });
    expect(output.CreatedDate).toBeInstanceOf(Date);
    expect(aws.readCount).toBe(1);
    expect(aws.requestCount).toBe(1);
  });

  it('answers bytes as SecretBinary', async () => {
    aws.put('binary', new Uint8Array([0, 1, 2, 255]));
    const output = await read(client(), 'binary');
    expect(output.SecretString).toBeUndefined();
    expect([...(output.SecretBinary ?? [])]).toEqual([0, 1, 2, 255]);
  });

  it('reports a missing secret as ResourceNotFoundException, a denied one as AccessDeniedException', async () => {
    aws.put('denied', 'value');
    aws.deny('denied');
    expect(await failureName(read(client(), 'missing'))).toBe('ResourceNotFoundException');
    expect(await failureName(read(client(), 'denied'))).toBe('AccessDeniedException');
    expect(aws.readCount).toBe(0);
  });

  it('verifies the SigV4 signature: wrong access key, wrong secret key, wrong region all fail', async () => {
    aws.put('s', 'v');
    const { accessKeyId, secretAccessKey } = aws.credentials;
    expect(
      await failureName(read(client({ credentials: { accessKeyId: 'AKIAOTHER', secretAccessKey } }), 's')),
    ).toBe('UnrecognizedClientException');
    expect(
      await failureName(read(client({ credentials: { accessKeyId, secretAccessKey: 'wrong' } }), 's')),
    ).toBe('InvalidSignatureException');
    expect(await failureName(read(client({ region: 'eu-west-1' }), 's'))).toBe('InvalidSignatureException');
    const stale = client();
    aws.rotateCredentials();
    expect(await failureName(read(stale, 's'))).toBe('UnrecognizedClientException');
    await expect(read(client(), 's')).resolves.toMatchObject({ SecretString: 'v' });
  });

  it('injects authentication failures, throttling and 503s, and counts every attempt', async () => {
    aws.put('s', 'v');
    aws.setFaults({ authFailure: 'ExpiredTokenException' });
    expect(await failureName(read(client(), 's'))).toBe('ExpiredTokenException');
    aws.setFaults({ throttling: true });
    expect(await failureName(read(client({ maxAttempts: 2 }), 's'))).toBe('ThrottlingException');
    expect(aws.requestCount).toBe(3);
    aws.setFaults({ unavailable: true });
    expect(await failureName(read(client(), 's'))).toBe('ServiceUnavailable');
    aws.setFaults({});
    await expect(read(client(), 's')).resolves.toMatchObject({ SecretString: 'v' });
  });

  it('delays answers by the latency fault', async () => {
    aws.put('s', 'v');
    aws.setFaults({ latencyMs: 150 });
    const started = performance.now();
    await read(client(), 's');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('refuses connections once unreachable', async () => {
    await aws.makeUnreachable();
    expect(await failureName(read(client(), 's'))).toBe('ECONNREFUSED');
  });
});
