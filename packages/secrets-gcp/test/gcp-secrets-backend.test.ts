import { inspect } from 'node:util';
import { createJsonLinesLogger } from '@dual-auth/core/logging';
import { describeSecretsBackend, expectSecretsBackendError } from '@dual-auth/testkit/conformance';
import {
  emulatorHarness,
  type GcpSecretManagerEmulator,
  startGcpSecretManagerEmulator,
} from '@dual-auth/testkit/emulators';
import { googleAuthLibrary } from 'google-gax';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGcpSecretsBackend, type GcpSecretsBackendOptions } from '../src/index.ts';

// The SDK's default channel (TLS trusting GRPC_DEFAULT_SSL_ROOTS_FILE_PATH, see vitest.config.ts)
// with an OAuth client holding a fixed token: the production path, minus credential discovery.
function authClientFor(accessToken: string) {
  const authClient = new googleAuthLibrary.OAuth2Client();
  authClient.setCredentials({ access_token: accessToken, expiry_date: Date.now() + 3_600_000 });
  return authClient;
}

function backendFor(gcp: GcpSecretManagerEmulator, options: Partial<GcpSecretsBackendOptions> = {}) {
  return createGcpSecretsBackend({
    project: gcp.project,
    clientOptions: {
      apiEndpoint: gcp.apiEndpoint,
      port: gcp.port,
      authClient: authClientFor(gcp.accessToken),
    },
    timeoutMs: 1_000,
    ...options,
  });
}

describeSecretsBackend('gcp', async () => {
  const gcp = await startGcpSecretManagerEmulator();
  return emulatorHarness(gcp, backendFor(gcp));
});

// The SDK's REST transport (`fallback: true`), for platforms without HTTP/2: plain HTTP here, so the
// emulator checks the token on every request.
function restBackendFor(gcp: GcpSecretManagerEmulator, options: Partial<GcpSecretsBackendOptions> = {}) {
  return backendFor(gcp, {
    clientOptions: {
      fallback: true,
      protocol: 'http',
      apiEndpoint: '127.0.0.1',
      port: gcp.restPort,
      authClient: authClientFor(gcp.accessToken),
    },
    ...options,
  });
}

describe('over the REST transport', () => {
  describeSecretsBackend('gcp', async () => {
    const gcp = await startGcpSecretManagerEmulator();
    return emulatorHarness(gcp, restBackendFor(gcp));
  });
});

describe('gcp secrets backend against the emulator', () => {
  let gcp: GcpSecretManagerEmulator;
  const backends: ReturnType<typeof createGcpSecretsBackend>[] = [];
  beforeEach(async () => {
    gcp = await startGcpSecretManagerEmulator({ project: 'acme-prod' });
  });
  afterEach(async () => {
    await Promise.all(backends.splice(0).map((backend) => backend.close?.()));
    await gcp.close();
  });
  const backend = (options: Partial<GcpSecretsBackendOptions> = {}) => {
    const created = backendFor(gcp, options);
    backends.push(created);
    return created;
  };

  const failure = (read: Promise<unknown>) => expectSecretsBackendError(read, 'gcp');

  it('reads dual-auth-<key-in-kebab-case>, version latest, and honours a prefix and a pinned version', async () => {
    gcp.put('dual-auth-agent-client-id', 'v1');
    gcp.put('dual-auth-agent-client-id', 'v2');
    gcp.put('billing_agent-client-id', 'billing');
    await expect(backend().getSecret('AGENT_CLIENT_ID')).resolves.toBe('v2');
    await expect(backend({ version: '1' }).getSecret('AGENT_CLIENT_ID')).resolves.toBe('v1');
    await expect(backend({ prefix: 'billing_' }).getSecret('AGENT_CLIENT_ID')).resolves.toBe('billing');
  });

  it('returns a JSON payload verbatim, without parsing it', async () => {
    const json = '{"client_id":"agent","client_secret":"s3cr3t","list":[1,2]}';
    gcp.put('dual-auth-agent-client-secret', json);
    await expect(backend().getSecret('AGENT_CLIENT_SECRET')).resolves.toBe(json);
  });

  it('reads secrets of its own project only', async () => {
    gcp.put('dual-auth-agent-client-id', 'finance-agent');
    await expect(backend({ project: 'other-project' }).getSecret('AGENT_CLIENT_ID')).resolves.toBeUndefined();
  });

  it('rejects a payload whose CRC32C does not match, and accepts one sent without a checksum', async () => {
    gcp.put('dual-auth-agent-client-id', 'finance-agent');
    gcp.setFaults({ corruptChecksum: true });
    const error = await failure(backend().getSecret('AGENT_CLIENT_ID'));
    expect(error.message).toBe(
      'gcp secrets backend: the payload does not match its CRC32C checksum (corrupted in transit), reading "projects/acme-prod/secrets/dual-auth-agent-client-id/versions/latest".',
    );
    gcp.setFaults({ omitChecksum: true });
    await expect(backend().getSecret('AGENT_CLIENT_ID')).resolves.toBe('finance-agent');
  });

  it('refuses a payload that is not UTF-8 text', async () => {
    gcp.put('dual-auth-app-id', new Uint8Array([0xff, 0xfe, 0xfd]));
    const error = await failure(backend().getSecret('APP_ID'));
    expect(error.message).toContain('the payload is not UTF-8 text');
  });

  it.each([
    ['deny', 'access denied: the caller needs roles/secretmanager.secretAccessor', '7 PERMISSION_DENIED'],
    ['token', 'authentication failed: check the Application Default Credentials', '16 UNAUTHENTICATED'],
    ['unavailable', 'the service is unreachable or unavailable', '14 UNAVAILABLE'],
    ['unreachable', 'the service is unreachable or unavailable', '14 UNAVAILABLE'],
  ])('maps the %s failure to a SecretsBackendError with the gRPC status', async (fault, problem, status) => {
    gcp.put('dual-auth-agent-client-secret', 'value');
    const subject = backend();
    if (fault === 'deny') gcp.deny('dual-auth-agent-client-secret');
    if (fault === 'token') gcp.rotateCredentials();
    if (fault === 'unavailable') gcp.setFaults({ unavailable: true });
    if (fault === 'unreachable') await gcp.makeUnreachable();
    const error = await failure(subject.getSecret('AGENT_CLIENT_SECRET'));
    expect(error).toMatchObject({ backend: 'gcp', secretName: 'dual-auth-agent-client-secret' });
    expect(error.message).toBe(
      `gcp secrets backend: ${problem}${problem.startsWith('access') ? ' (secretmanager.versions.access) on the secret' : ''} (${status}), reading "projects/acme-prod/secrets/dual-auth-agent-client-secret/versions/latest".`,
    );
  });

  it('over REST too: verifies the CRC32C and maps denial, bad token and refused connections', async () => {
    gcp.put('dual-auth-agent-client-id', 'finance-agent');
    gcp.put('dual-auth-agent-client-secret', 'value');
    gcp.deny('dual-auth-agent-client-secret');
    const rest = restBackendFor(gcp, { cacheTtlMs: 0 });
    backends.push(rest);
    await expect(rest.getSecret('AGENT_CLIENT_ID')).resolves.toBe('finance-agent');
    const denied = await failure(rest.getSecret('AGENT_CLIENT_SECRET'));
    expect(denied.message).toContain('access denied');
    expect(denied.message).toContain('(7 PERMISSION_DENIED)');
    gcp.setFaults({ corruptChecksum: true });
    expect((await failure(rest.getSecret('AGENT_CLIENT_ID'))).message).toContain('CRC32C');
    gcp.setFaults({});
    gcp.rotateCredentials();
    expect((await failure(rest.getSecret('AGENT_CLIENT_ID'))).message).toContain('(16 UNAUTHENTICATED)');
    await gcp.makeUnreachable();
    expect((await failure(rest.getSecret('AGENT_CLIENT_ID'))).message).toBe(
      'gcp secrets backend: the service is unreachable or unavailable (14 UNAVAILABLE), reading "projects/acme-prod/secrets/dual-auth-agent-client-id/versions/latest".',
    );
  });

  it('does not retry an unavailable service', async () => {
    gcp.setFaults({ unavailable: true });
    await failure(backend().getSecret('AGENT_CLIENT_ID'));
    expect(gcp.requestCount).toBe(1);
  });

  it('gives up after timeoutMs on a slow service', async () => {
    gcp.setFaults({ latencyMs: 3_000 });
    const started = performance.now();
    const error = await failure(backend({ timeoutMs: 200 }).getSecret('AGENT_CLIENT_ID'));
    expect(error.message).toMatch(
      /^gcp secrets backend: (no answer within 200 ms for "dual-auth-agent-client-id"\.|the service did not answer in time \(4 DEADLINE_EXCEEDED\).*)$/,
    );
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('uses an injected client and leaves it open on close()', async () => {
    const { SecretManagerServiceClient } = await import('@google-cloud/secret-manager');
    const client = new SecretManagerServiceClient({
      apiEndpoint: gcp.apiEndpoint,
      port: gcp.port,
      authClient: authClientFor(gcp.accessToken),
    });
    gcp.put('dual-auth-agent-client-id', 'finance-agent');
    const injected = createGcpSecretsBackend({ project: 'acme-prod', client });
    await expect(injected.getSecret('AGENT_CLIENT_ID')).resolves.toBe('finance-agent');
    await injected.close?.();
    await expect(
      createGcpSecretsBackend({ project: 'acme-prod', client, cacheTtlMs: 0 }).getSecret('AGENT_CLIENT_ID'),
    ).resolves.toBe('finance-agent');
    await client.close();
  });

  it('never puts a secret value in errors, logs, JSON or inspection (canary)', async () => {
    const canary = 'canary-gcp-secret-0c9d2e';
    const lines: string[] = [];
    const logger = createJsonLinesLogger({ level: 'debug', write: (line) => lines.push(line) });
    gcp.put('dual-auth-agent-client-secret', canary);
    gcp.put('dual-auth-api-audience', canary);
    gcp.deny('dual-auth-api-audience');
    gcp.put('dual-auth-app-id', new Uint8Array([0xc3, 0x28, ...new TextEncoder().encode(canary)]));
    const subject = backend({ logger });
    await expect(subject.getSecret('AGENT_CLIENT_SECRET')).resolves.toBe(canary);
    const errors = [
      await failure(subject.getSecret('API_AUDIENCE')),
      await failure(subject.getSecret('APP_ID')),
    ];
    gcp.setFaults({ corruptChecksum: true });
    subject.refresh?.();
    errors.push(await failure(subject.getSecret('AGENT_CLIENT_SECRET')));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const text of [
      ...lines,
      ...errors.flatMap((error) => [error.message, JSON.stringify(error), inspect(error, { depth: 0 })]),
      JSON.stringify(subject),
      inspect(subject, { depth: 10, showHidden: true }),
    ]) {
      expect(text).not.toContain(canary);
    }
    // The cause is a summary (class, code), not the SDK error with the call's metadata and details.
    const [denied] = errors;
    expect(denied?.cause).toBeInstanceOf(Error);
    for (const error of errors) {
      const deep = inspect(error, { depth: 10, showHidden: true });
      for (const detail of [gcp.accessToken, 'Metadata', 'internalRepr', 'details:', 'authorization']) {
        expect(deep).not.toContain(detail);
      }
    }
  });
});
