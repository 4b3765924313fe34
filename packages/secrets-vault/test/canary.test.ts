import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Secret } from '@dual-auth/core';
import { createJsonLinesLogger } from '@dual-auth/core/logging';
import { testTls } from '@dual-auth/testkit';
import { type HashiCorpVaultEmulator, startHashiCorpVaultEmulator } from '@dual-auth/testkit/emulators';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createVaultSecretsBackend, type VaultAuthentication } from '../src/index.ts';

// node-vault's debug output (which would print login bodies) is switched on for this file, in the
// copy of the debug package that node-vault itself loads.
const requireFromNodeVault = createRequire(createRequire(import.meta.url).resolve('node-vault'));
(requireFromNodeVault('debug') as { enable(namespaces: string): void }).enable('node-vault');

let vault: HashiCorpVaultEmulator;
let directory: string;
const written: string[] = [];
const streams = [process.stdout, process.stderr] as const;
const originalWrites = streams.map((stream) => stream.write.bind(stream));

beforeEach(async () => {
  vault = await startHashiCorpVaultEmulator();
  directory = await mkdtemp(join(tmpdir(), 'dual-auth-vault-canary-'));
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }) as typeof stream.write;
  }
});

afterEach(async () => {
  streams.forEach((stream, index) => {
    stream.write = originalWrites[index] as typeof stream.write;
  });
  await vault.close();
  await rm(directory, { recursive: true, force: true });
});

function views(value: unknown): string[] {
  return [
    String(value),
    JSON.stringify(value) ?? '',
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
  ];
}

it('never puts the value, token, role id, secret id or JWT in errors, logs or serialized objects', async () => {
  const value = 'canary-secret-value-41d2c8';
  const wrongSecretId = 'canary-wrong-secret-id-77ab';
  const wrongJwt = 'canary-wrong-jwt-c0ffee';
  const canaries = [
    value,
    wrongSecretId,
    wrongJwt,
    vault.rootToken,
    vault.roleId,
    vault.secretId,
    vault.kubernetesJwt,
  ];
  const jwtPath = join(directory, 'token');
  await writeFile(jwtPath, wrongJwt);
  const logLines: string[] = [];
  const logger = createJsonLinesLogger({ level: 'debug', write: (line) => void logLines.push(line) });

  const backendWith = (authentication: VaultAuthentication) =>
    createVaultSecretsBackend({
      address: vault.address,
      authentication,
      ca: testTls().ca,
      timeoutMs: 400,
      cacheTtlMs: 0,
    });
  const approle = backendWith({
    method: 'approle',
    roleId: new Secret(vault.roleId),
    secretId: vault.secretId,
  });
  const failures: unknown[] = [];
  const capture = (read: Promise<unknown>) =>
    read.catch((error: unknown) => {
      failures.push(error);
      logger.error('secret read failed', { error });
    });

  vault.put('dual-auth/agent-client-secret', value);
  await expect(approle.getSecret('AGENT_CLIENT_SECRET')).resolves.toBe(value);
  vault.deny('dual-auth/agent-client-secret');
  await capture(approle.getSecret('AGENT_CLIENT_SECRET'));
  await capture(
    backendWith({ method: 'approle', roleId: vault.roleId, secretId: wrongSecretId }).getSecret('APP_ID'),
  );
  await capture(
    backendWith({ method: 'kubernetes', role: vault.kubernetesRole, jwtPath }).getSecret('APP_ID'),
  );
  const fixed = backendWith({ method: 'token', token: vault.rootToken });
  vault.expireTokens();
  await capture(fixed.getSecret('APP_ID'));
  vault.setLatency(1000);
  await capture(fixed.getSecret('APP_ID'));
  vault.setLatency(0);
  vault.setFault('drop');
  await capture(fixed.getSecret('APP_ID'));

  expect(failures).toHaveLength(6);
  expect(logLines).toHaveLength(6);
  const surfaces = [
    ...failures.flatMap(views),
    ...views(approle),
    ...views(fixed),
    logLines.join(''),
    written.join(''),
  ];
  for (const canary of canaries) {
    for (const surface of surfaces) expect(surface).not.toContain(canary);
  }
});
