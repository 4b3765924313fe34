import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, type SecretsBackend } from '@dual-auth/core';
import { testTls } from '@dual-auth/testkit';
import { describeSecretsBackend, expectSecretsBackendError } from '@dual-auth/testkit/conformance';
import { type HashiCorpVaultEmulator, startHashiCorpVaultEmulator } from '@dual-auth/testkit/emulators';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createVaultSecretsBackend,
  secretsBackendDefinition,
  type VaultSecretsBackendOptions,
} from '../src/index.ts';

function appRoleBackend(vault: HashiCorpVaultEmulator, options: Partial<VaultSecretsBackendOptions> = {}) {
  return createVaultSecretsBackend({
    address: vault.address,
    authentication: { method: 'approle', roleId: vault.roleId, secretId: vault.secretId },
    ca: testTls().ca,
    ...options,
  });
}

const failureOf = (read: Promise<unknown>, secretName = 'secret/data/dual-auth/agent-client-id') =>
  expectSecretsBackendError(read, 'vault', secretName);

const kvPath = (backend: SecretsBackend, key: string) =>
  backend.secretNameFor(key).replace(/^secret\/data\//, '');

describeSecretsBackend('vault', async () => {
  const vault = await startHashiCorpVaultEmulator();
  const backend = appRoleBackend(vault, { timeoutMs: 1000 });
  return {
    backend,
    put: async (key, value) => vault.put(kvPath(backend, key), value),
    remove: async (key) => vault.remove(kvPath(backend, key)),
    deny: async (key) => vault.deny(kvPath(backend, key)),
    breakAuthentication: async () => vault.failAuthentication(),
    makeUnreachable: () => vault.close(),
    makeSlow: async () => vault.setLatency(3000),
    readCount: () => vault.counts().reads,
    close: () => vault.close(),
  };
});

describe('vault secrets backend against the Vault emulator', () => {
  let vault: HashiCorpVaultEmulator;
  let backend: SecretsBackend | undefined;
  beforeEach(async () => {
    vault = await startHashiCorpVaultEmulator();
  });
  afterEach(async () => {
    await backend?.close?.();
    backend = undefined;
    await vault.close();
  });

  it('reads the field value of secret/data/dual-auth/agent-client-id with a token', async () => {
    vault.put('dual-auth/agent-client-id', { value: 'finance-agent', owner: 'finance' });
    backend = createVaultSecretsBackend({
      address: vault.address,
      authentication: { method: 'token', token: vault.rootToken },
      ca: testTls().ca,
    });
    expect(backend.secretNameFor('AGENT_CLIENT_ID')).toBe('secret/data/dual-auth/agent-client-id');
    await expect(backend.getSecret('AGENT_CLIENT_ID')).resolves.toBe('finance-agent');
    expect(vault.counts()).toMatchObject({ reads: 1, logins: 0 });
  });

  it('returns a JSON value verbatim', async () => {
    const json = '{ "b": 1,\n  "a": ["x", {"nested": true}] }';
    vault.put('dual-auth/api-audience', json);
    backend = appRoleBackend(vault);
    await expect(backend.getSecret('API_AUDIENCE')).resolves.toBe(json);
  });

  it('logs in once with AppRole for many concurrent reads of different keys', async () => {
    const keys = Array.from({ length: 20 }, (_, index) => `SETTING_${index}`);
    backend = appRoleBackend(vault);
    for (const key of keys) vault.put(kvPath(backend, key), key.toLowerCase());
    const values = await Promise.all(keys.map((key) => backend?.getSecret(key)));
    expect(values).toEqual(keys.map((key) => key.toLowerCase()));
    expect(vault.counts()).toMatchObject({ logins: 1, reads: 20 });
  });

  describe('token lifecycle', () => {
    const clock = createManualClock(Date.parse('2026-11-23T12:00:00Z'));
    let timed: HashiCorpVaultEmulator;
    beforeEach(async () => {
      timed = await startHashiCorpVaultEmulator({ tokenTtlSeconds: 60, clock: clock.now });
      timed.put('dual-auth/agent-client-id', 'finance-agent');
    });
    afterEach(() => timed.close());
    const read = (reader: SecretsBackend) =>
      expect(reader.getSecret('AGENT_CLIENT_ID')).resolves.toBe('finance-agent');

    it('renews the token after two thirds of its lease', async () => {
      backend = appRoleBackend(timed, { clock: clock.now, cacheTtlMs: 0 });
      await read(backend);
      clock.advance(30_000);
      await read(backend);
      expect(timed.counts()).toMatchObject({ logins: 1, renewals: 0 });
      clock.advance(15_000);
      await read(backend);
      expect(timed.counts()).toMatchObject({ logins: 1, renewals: 1, reads: 3 });
    });

    it('renews up to the max TTL, then logs in again', async () => {
      const capped = await startHashiCorpVaultEmulator({
        tokenTtlSeconds: 60,
        tokenMaxTtlSeconds: 70,
        clock: clock.now,
      });
      try {
        capped.put('dual-auth/agent-client-id', 'finance-agent');
        backend = appRoleBackend(capped, { clock: clock.now, cacheTtlMs: 0 });
        for (const step of [0, 45_000, 20_000, 10_000]) {
          clock.advance(step);
          await read(backend);
        }
        expect(capped.counts()).toMatchObject({ logins: 2, renewals: 2, reads: 4 });
      } finally {
        await capped.close();
      }
    });

    it('logs in again when the lease has run out', async () => {
      backend = appRoleBackend(timed, { clock: clock.now, cacheTtlMs: 0 });
      await read(backend);
      clock.advance(70_000);
      await read(backend);
      expect(timed.counts()).toMatchObject({ logins: 2, renewals: 0 });
    });

    it('logs in again when renewal is refused', async () => {
      backend = appRoleBackend(timed, { clock: clock.now, cacheTtlMs: 0 });
      await read(backend);
      timed.expireTokens();
      clock.advance(45_000);
      await read(backend);
      expect(timed.counts()).toMatchObject({ logins: 2, renewals: 1 });
    });

    it('logs in again once when a read is refused with a revoked token, then succeeds', async () => {
      backend = appRoleBackend(timed, { clock: clock.now, cacheTtlMs: 0 });
      await read(backend);
      timed.expireTokens();
      await read(backend);
      expect(timed.counts()).toMatchObject({ logins: 2, reads: 2 });
    });

    it('fails as authentication when the login after a refused read fails too', async () => {
      backend = appRoleBackend(timed, { clock: clock.now, cacheTtlMs: 0 });
      await read(backend);
      timed.failAuthentication();
      const failure = await failureOf(backend.getSecret('AGENT_CLIENT_ID'));
      expect(failure.message).toBe(
        'vault secrets backend: authentication to Vault failed (AppRole login, HTTP 400) for "secret/data/dual-auth/agent-client-id".',
      );
      expect(timed.counts().logins).toBe(2);
    });

    it('reports denial after one fresh login, without looping', async () => {
      backend = appRoleBackend(timed, { clock: clock.now, cacheTtlMs: 0 });
      await read(backend);
      timed.deny('dual-auth/agent-client-id');
      const failure = await failureOf(backend.getSecret('AGENT_CLIENT_ID'));
      expect(failure.message).toBe(
        `vault secrets backend: access denied: the token's policy lacks read on this path (HTTP 403) for "secret/data/dual-auth/agent-client-id".`,
      );
      expect(failure.cause).toMatchObject({ statusCode: 403 });
      expect(timed.counts()).toMatchObject({ logins: 2, reads: 3 });
    });

    it('never logs in for a fixed token: a refused token is reported as such', async () => {
      backend = createVaultSecretsBackend({
        address: timed.address,
        authentication: { method: 'token', token: timed.issueToken({ ttlSeconds: 60 }) },
        ca: testTls().ca,
        clock: clock.now,
      });
      timed.expireTokens();
      const failure = await failureOf(backend.getSecret('AGENT_CLIENT_ID'));
      expect(failure.message).toMatch(
        /permission denied: the token is invalid or expired, or its policy lacks read/,
      );
      expect(timed.counts()).toMatchObject({ logins: 0, renewals: 0 });
    });
  });

  describe('Kubernetes auth', () => {
    let directory: string;
    beforeEach(async () => {
      directory = await mkdtemp(join(tmpdir(), 'dual-auth-vault-'));
    });
    afterEach(() => rm(directory, { recursive: true, force: true }));

    it('logs in with the service account token file, read again at each login', async () => {
      const jwtPath = join(directory, 'token');
      await writeFile(jwtPath, 'not-the-current-token\n');
      vault.put('dual-auth/agent-client-id', 'finance-agent');
      backend = createVaultSecretsBackend({
        address: vault.address,
        authentication: { method: 'kubernetes', role: vault.kubernetesRole, jwtPath },
        ca: testTls().ca,
      });
      const failure = await failureOf(backend.getSecret('AGENT_CLIENT_ID'));
      expect(failure.message).toMatch(/authentication to Vault failed \(Kubernetes login, HTTP 403\)/);
      await writeFile(jwtPath, `${vault.kubernetesJwt}\n`);
      await expect(backend.getSecret('AGENT_CLIENT_ID')).resolves.toBe('finance-agent');
    });

    it('reports an unknown role and a missing token file', async () => {
      backend = createVaultSecretsBackend({
        address: vault.address,
        authentication: { method: 'kubernetes', role: 'someone-else', jwt: vault.kubernetesJwt },
        ca: testTls().ca,
      });
      const unknownRole = await failureOf(backend.getSecret('AGENT_CLIENT_ID'));
      expect(unknownRole.message).toMatch(/authentication to Vault failed \(Kubernetes login, HTTP 400\)/);
      const missingFile = createVaultSecretsBackend({
        address: vault.address,
        authentication: {
          method: 'kubernetes',
          role: vault.kubernetesRole,
          jwtPath: join(directory, 'absent'),
        },
        ca: testTls().ca,
      });
      const failure = await failureOf(missingFile.getSecret('AGENT_CLIENT_ID'));
      expect(failure.message).toMatch(/the Kubernetes service account token could not be read \(ENOENT\)/);
    });
  });

  describe('namespaces', () => {
    it('sends X-Vault-Namespace on logins and reads', async () => {
      const enterprise = await startHashiCorpVaultEmulator({ namespace: 'admin/finance' });
      try {
        enterprise.put('dual-auth/agent-client-id', 'finance-agent');
        backend = appRoleBackend(enterprise, { namespace: 'admin/finance' });
        await expect(backend.getSecret('AGENT_CLIENT_ID')).resolves.toBe('finance-agent');
        expect(enterprise.namespacesSeen()).toEqual(['admin/finance', 'admin/finance']);
      } finally {
        await enterprise.close();
      }
    });

    it('ignores VAULT_NAMESPACE and VAULT_TOKEN in process.env unless configured', async () => {
      process.env.VAULT_NAMESPACE = 'admin/elsewhere';
      process.env.VAULT_TOKEN = vault.rootToken;
      try {
        vault.put('dual-auth/agent-client-id', 'finance-agent');
        backend = appRoleBackend(vault);
        await expect(backend.getSecret('AGENT_CLIENT_ID')).resolves.toBe('finance-agent');
        expect(vault.namespacesSeen()).toEqual([undefined, undefined]);
        expect(vault.counts().logins).toBe(1);
      } finally {
        delete process.env.VAULT_NAMESPACE;
        delete process.env.VAULT_TOKEN;
      }
    });
  });

  describe('failures', () => {
    it('reports a wrong mount instead of a missing secret', async () => {
      backend = appRoleBackend(vault, { mount: 'kv' });
      const failure = await failureOf(
        backend.getSecret('AGENT_CLIENT_ID'),
        'kv/data/dual-auth/agent-client-id',
      );
      expect(failure.message).toBe(
        'vault secrets backend: Vault has no such mount or route (HTTP 404); check DUAL_AUTH_VAULT_MOUNT for "kv/data/dual-auth/agent-client-id".',
      );
    });

    it('reports a secret without a text field value', async () => {
      vault.put('dual-auth/agent-client-id', { client_id: 'finance-agent' });
      backend = appRoleBackend(vault);
      const failure = await failureOf(backend.getSecret('AGENT_CLIENT_ID'));
      expect(failure.message).toMatch(/the secret has no text field "value"/);
    });

    it('reports a sealed Vault, dropped connections, refused connections and slowness', async () => {
      backend = appRoleBackend(vault, { cacheTtlMs: 0, timeoutMs: 300 });
      vault.setFault('unavailable');
      expect((await failureOf(backend.getSecret('AGENT_CLIENT_ID'))).message).toMatch(
        /Vault is sealed or unavailable \(HTTP 503\)/,
      );
      vault.setFault('drop');
      expect((await failureOf(backend.getSecret('AGENT_CLIENT_ID'))).message).toMatch(
        /Vault is unreachable \(ECONNRESET\)/,
      );
      vault.setFault('none');
      vault.setLatency(2000);
      expect((await failureOf(backend.getSecret('AGENT_CLIENT_ID'))).message).toBe(
        'vault secrets backend: no answer within 300 ms for "secret/data/dual-auth/agent-client-id".',
      );
      await vault.close();
      const afterShutdown = appRoleBackend(vault);
      expect((await failureOf(afterShutdown.getSecret('AGENT_CLIENT_ID'))).message).toMatch(
        /Vault is unreachable \(ECONNREFUSED\)/,
      );
    });

    it('verifies the certificate: without the test CA the login fails', async () => {
      backend = appRoleBackend(vault, { ca: [] });
      const failure = await failureOf(backend.getSecret('AGENT_CLIENT_ID'));
      expect(failure.message).toMatch(/Vault's TLS certificate is not trusted \(\w+\)/);
      expect(vault.counts().logins).toBe(0);
    });
  });

  describe('built from the environment', () => {
    it('reads over http on loopback only with DUAL_AUTH_ALLOW_INSECURE_LOOPBACK=true', async () => {
      const plain = await startHashiCorpVaultEmulator({ tls: false });
      try {
        plain.put('dual-auth/agent-client-id', 'finance-agent');
        backend = await secretsBackendDefinition.create({
          VAULT_ADDR: plain.address,
          VAULT_TOKEN: plain.rootToken,
          DUAL_AUTH_ALLOW_INSECURE_LOOPBACK: 'true',
        });
        await expect(backend.getSecret('AGENT_CLIENT_ID')).resolves.toBe('finance-agent');
      } finally {
        await plain.close();
      }
    });

    it('trusts the CA file named by VAULT_CACERT and uses AppRole, mount and prefix settings', async () => {
      const directory = await mkdtemp(join(tmpdir(), 'dual-auth-vault-'));
      try {
        const caPath = join(directory, 'ca.pem');
        await writeFile(caPath, testTls().ca);
        const teams = await startHashiCorpVaultEmulator({ mounts: ['teams/kv'] });
        try {
          teams.put('billing/agent-client-id', 'billing-agent', 'teams/kv');
          backend = await secretsBackendDefinition.create({
            VAULT_ADDR: `${teams.address}/`,
            VAULT_CACERT: caPath,
            VAULT_ROLE_ID: teams.roleId,
            VAULT_SECRET_ID: teams.secretId,
            DUAL_AUTH_VAULT_MOUNT: 'teams/kv',
            DUAL_AUTH_VAULT_PATH_PREFIX: 'billing/',
          });
          expect(backend.secretNameFor('AGENT_CLIENT_ID')).toBe('teams/kv/data/billing/agent-client-id');
          await expect(backend.getSecret('AGENT_CLIENT_ID')).resolves.toBe('billing-agent');
        } finally {
          await teams.close();
        }
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    });
  });
});
