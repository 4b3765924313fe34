import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { googleAuthLibrary, grpc } from 'google-gax';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GcpSecretManagerEmulator, startGcpSecretManagerEmulator } from './gcp-secret-manager.ts';

let gcp: GcpSecretManagerEmulator;
const clients: SecretManagerServiceClient[] = [];

beforeAll(() => {
  process.env.METADATA_SERVER_DETECTION = 'none';
});
beforeEach(async () => {
  gcp = await startGcpSecretManagerEmulator({ project: 'emulated-project' });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await gcp.close();
});

// Explicit sslCreds replace the SDK's own credentials, so the token is attached here the way the
// SDK does it (the backend's tests use the SDK's default path instead).
function client(accessToken = gcp.accessToken, emulator = gcp) {
  const authClient = new googleAuthLibrary.OAuth2Client();
  authClient.setCredentials({ access_token: accessToken, expiry_date: Date.now() + 3_600_000 });
  const bearer = grpc.credentials.createFromGoogleCredential({
    getRequestHeaders: async () => ({ authorization: `Bearer ${accessToken}` }),
  });
  const created = new SecretManagerServiceClient({
    apiEndpoint: emulator.apiEndpoint,
    port: emulator.port,
    sslCreds: emulator.tls
      ? grpc.credentials.combineChannelCredentials(
          grpc.credentials.createSsl(Buffer.from(emulator.ca)),
          bearer,
        )
      : grpc.credentials.createInsecure(),
    authClient,
  });
  clients.push(created);
  return created;
}

const access = async (sdk: SecretManagerServiceClient, secret: string, version = 'latest') => {
  const [response] = await sdk.accessSecretVersion(
    { name: `projects/emulated-project/secrets/${secret}/versions/${version}` },
    { timeout: 2_000, retry: null },
  );
  return response;
};

async function failureCode(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(Error);
  return (error as { code?: unknown }).code;
}

describe('GCP Secret Manager emulator, through the real SDK over gRPC', () => {
  it('answers AccessSecretVersion with the latest version, its data and CRC32C', async () => {
    gcp.put('dual-auth-agent-client-id', 'first');
    gcp.put('dual-auth-agent-client-id', '123456789');
    const response = await access(client(), 'dual-auth-agent-client-id');
    expect(response.name).toBe('projects/emulated-project/secrets/dual-auth-agent-client-id/versions/2');
    expect(Buffer.from(response.payload?.data as Uint8Array).toString('utf8')).toBe('123456789');
    // The published CRC-32C check value of "123456789".
    expect(String(response.payload?.dataCrc32c)).toBe(String(0xe3069283));
    const first = await access(client(), 'dual-auth-agent-client-id', '1');
    expect(Buffer.from(first.payload?.data as Uint8Array).toString('utf8')).toBe('first');
    expect(gcp.readCount).toBe(2);
  });

  it('answers 5 NOT_FOUND for a missing secret, version or project, 7 PERMISSION_DENIED when denied', async () => {
    gcp.put('present', 'value');
    gcp.put('denied', 'value');
    gcp.deny('denied');
    const sdk = client();
    expect(await failureCode(access(sdk, 'missing'))).toBe(5);
    expect(await failureCode(access(sdk, 'present', '7'))).toBe(5);
    expect(await failureCode(access(sdk, 'denied'))).toBe(7);
    const other = sdk.accessSecretVersion(
      { name: 'projects/another-project/secrets/present/versions/latest' },
      { timeout: 2_000, retry: null },
    );
    expect(await failureCode(other)).toBe(5);
  });

  it('checks the bearer token: a wrong or rotated token gets 16 UNAUTHENTICATED', async () => {
    gcp.put('s', 'v');
    expect(await failureCode(access(client('ya29.wrong'), 's'))).toBe(16);
    const stale = client();
    gcp.rotateCredentials();
    expect(await failureCode(access(stale, 's'))).toBe(16);
    await expect(access(client(), 's')).resolves.toMatchObject({ payload: { data: expect.anything() } });
  });

  it('injects UNAVAILABLE, UNAUTHENTICATED, latency, and corrupted or missing checksums', async () => {
    gcp.put('s', 'v');
    const sdk = client();
    gcp.setFaults({ unavailable: true });
    expect(await failureCode(access(sdk, 's'))).toBe(14);
    gcp.setFaults({ authFailure: true });
    expect(await failureCode(access(sdk, 's'))).toBe(16);
    gcp.setFaults({ latencyMs: 5_000 });
    const slow = sdk.accessSecretVersion(
      { name: 'projects/emulated-project/secrets/s/versions/latest' },
      { timeout: 200, retry: null },
    );
    expect(await failureCode(slow)).toBe(4);
    gcp.setFaults({ corruptChecksum: true });
    const corrupt = await access(sdk, 's');
    expect(String(corrupt.payload?.dataCrc32c)).not.toBe(String(0x60fc8e8a));
    gcp.setFaults({ omitChecksum: true });
    expect((await access(sdk, 's')).payload?.dataCrc32c ?? null).toBeNull();
    expect(gcp.requestCount).toBe(5);
  });

  it('refuses connections once unreachable: 14 UNAVAILABLE', async () => {
    const sdk = client();
    await gcp.makeUnreachable();
    expect(await failureCode(access(sdk, 's'))).toBe(14);
  });

  it('serves plain gRPC without TLS, where no token can be checked', async () => {
    const plain = await startGcpSecretManagerEmulator({ project: 'emulated-project', tls: false });
    try {
      plain.put('s', 'plain');
      const response = await access(client('any-token', plain), 's');
      expect(Buffer.from(response.payload?.data as Uint8Array).toString('utf8')).toBe('plain');
    } finally {
      await plain.close();
    }
  });
});

describe('GCP Secret Manager emulator, through the real SDK over its REST transport', () => {
  function restClient(accessToken = gcp.accessToken) {
    const authClient = new googleAuthLibrary.OAuth2Client();
    authClient.setCredentials({ access_token: accessToken, expiry_date: Date.now() + 3_600_000 });
    const created = new SecretManagerServiceClient({
      fallback: true,
      protocol: 'http',
      apiEndpoint: '127.0.0.1',
      port: gcp.restPort,
      authClient,
    });
    clients.push(created);
    return created;
  }

  it('answers the payload with its CRC32C, and the same status codes as gRPC', async () => {
    gcp.put('present', '123456789');
    gcp.put('denied', 'value');
    gcp.deny('denied');
    const sdk = restClient();
    const response = await access(sdk, 'present');
    expect(Buffer.from(response.payload?.data as Uint8Array).toString('utf8')).toBe('123456789');
    expect(String(response.payload?.dataCrc32c)).toBe(String(0xe3069283));
    expect(await failureCode(access(sdk, 'missing'))).toBe(5);
    expect(await failureCode(access(sdk, 'denied'))).toBe(7);
    expect(await failureCode(access(restClient('ya29.wrong'), 'present'))).toBe(16);
    gcp.setFaults({ unavailable: true });
    expect(await failureCode(access(sdk, 'present'))).toBe(14);
    expect(gcp.requestCount).toBe(5);
  });
});
