import { inspect } from 'node:util';
import type { TokenCredential } from '@azure/identity';
import { testTls } from '@dual-auth/testkit';
import { type AzureKeyVaultEmulator, startAzureKeyVaultEmulator } from '@dual-auth/testkit/emulators';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createAzureSecretsBackend } from '../src/index.ts';

// The SDK reads this when it is first loaded (hence the dynamic import below), so its own verbose
// logging is on in this file: what it writes is captured and scanned too.
process.env.AZURE_LOG_LEVEL = 'verbose';
const { ClientSecretCredential } = await import('@azure/identity');
delete process.env.AZURE_LOG_LEVEL;

const canaries = {
  clientSecret: 'canary-client-secret-5b1e9d',
  value: 'canary-secret-value-0c7f2a',
  accessToken: 'canary-access-token-9d4e11',
};

let vault: AzureKeyVaultEmulator;
const written: string[] = [];
const originalWrite = process.stderr.write.bind(process.stderr);
const originalStdoutWrite = process.stdout.write.bind(process.stdout);

beforeEach(async () => {
  vault = await startAzureKeyVaultEmulator({ clientSecret: canaries.clientSecret });
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
});

afterEach(async () => {
  process.stderr.write = originalWrite;
  process.stdout.write = originalStdoutWrite;
  await vault.close();
});

function views(value: unknown): string[] {
  return [
    String(value),
    JSON.stringify(value) ?? '',
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
  ];
}

it('never puts the value, client secret or access token in errors, logs or serialized objects', async () => {
  const credential = new ClientSecretCredential(vault.tenantId, vault.clientId, vault.clientSecret, {
    authorityHost: vault.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: testTls().ca },
  });
  const options = {
    vaultUrl: vault.vaultUrl,
    ca: testTls().ca,
    disableChallengeResourceVerification: true,
    maxRetries: 0,
    timeoutMs: 500,
  };
  const backend = createAzureSecretsBackend({ ...options, credential });
  const failures: unknown[] = [];
  const capture = (read: Promise<unknown>) => read.catch((error: unknown) => void failures.push(error));

  vault.put('dual-auth-agent-client-secret', canaries.value);
  await expect(backend.getSecret('AGENT_CLIENT_SECRET')).resolves.toBe(canaries.value);
  vault.deny('dual-auth-agent-client-secret');
  await backend.refresh?.();
  await capture(backend.getSecret('AGENT_CLIENT_SECRET'));

  const canaryToken: TokenCredential = {
    getToken: async () => ({ token: canaries.accessToken, expiresOnTimestamp: Date.now() + 60_000 }),
  };
  await capture(createAzureSecretsBackend({ ...options, credential: canaryToken }).getSecret('APP_ID'));

  vault.failAuthentication();
  const freshCredential = new ClientSecretCredential(vault.tenantId, vault.clientId, vault.clientSecret, {
    authorityHost: vault.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: testTls().ca },
  });
  await capture(createAzureSecretsBackend({ ...options, credential: freshCredential }).getSecret('APP_ID'));

  vault.setLatency(2000);
  await capture(createAzureSecretsBackend({ ...options, credential: canaryToken }).getSecret('APP_ID'));
  vault.setLatency(0);
  vault.setFault('drop');
  await capture(createAzureSecretsBackend({ ...options, credential: canaryToken }).getSecret('APP_ID'));

  expect(failures).toHaveLength(5);
  expect(written.join(''), 'the SDK verbose log should have been captured').toMatch(
    /azure:core-rest-pipeline/,
  );
  const surfaces = [...failures.flatMap(views), ...views(backend), written.join('')];
  for (const canary of Object.values(canaries)) {
    for (const surface of surfaces) expect(surface).not.toContain(canary);
  }
});
