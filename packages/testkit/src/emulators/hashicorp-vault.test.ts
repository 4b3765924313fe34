import { createManualClock } from '@dual-auth/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { trustTestCa } from '../tls/test-tls.ts';
import { type HashiCorpVaultEmulator, startHashiCorpVaultEmulator } from './hashicorp-vault.ts';

interface VaultAnswer {
  readonly errors?: string[];
  readonly auth?: { readonly client_token: string; readonly lease_duration: number };
  readonly data?: Record<string, unknown>;
}

let untrust: () => void;
beforeAll(() => {
  untrust = trustTestCa();
});
afterAll(() => untrust());

describe('HashiCorp Vault emulator', () => {
  const clock = createManualClock(Date.parse('2026-11-23T12:00:00Z'));
  let vault: HashiCorpVaultEmulator;
  beforeEach(async () => {
    vault = await startHashiCorpVaultEmulator({
      tokenTtlSeconds: 60,
      tokenMaxTtlSeconds: 100,
      clock: clock.now,
    });
  });
  afterEach(() => vault.close());

  const call = async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; namespace?: string } = {},
  ) => {
    const response = await fetch(`${vault.address}/v1/${path}`, {
      method,
      headers: {
        ...(options.token === undefined ? {} : { 'x-vault-token': options.token }),
        ...(options.namespace === undefined ? {} : { 'x-vault-namespace': options.namespace }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    return { status: response.status, body: (await response.json()) as VaultAnswer };
  };
  const appRoleLogin = () =>
    call('POST', 'auth/approle/login', { body: { role_id: vault.roleId, secret_id: vault.secretId } });

  it('logs in with AppRole and reads KV v2 data with the token', async () => {
    vault.put('dual-auth/agent-client-id', 'finance-agent');
    vault.put('dual-auth/agent-client-id', 'finance-agent-v2');
    const login = await appRoleLogin();
    expect(login.status).toBe(200);
    expect(login.body.auth).toMatchObject({ lease_duration: 60, renewable: true });
    const read = await call('GET', 'secret/data/dual-auth/agent-client-id', {
      token: login.body.auth?.client_token ?? '',
    });
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ data: { value: 'finance-agent-v2' }, metadata: { version: 2 } });
    expect(vault.counts()).toMatchObject({ logins: 1, reads: 1 });
  });

  it('answers Vault errors: bad AppRole 400, bad JWT 403, missing 404, denied 403, unknown mount 404', async () => {
    expect(
      await call('POST', 'auth/approle/login', { body: { role_id: vault.roleId, secret_id: 'x' } }),
    ).toEqual({
      status: 400,
      body: { errors: ['invalid role or secret ID'] },
    });
    expect(
      (await call('POST', 'auth/kubernetes/login', { body: { role: vault.kubernetesRole, jwt: 'x' } }))
        .status,
    ).toBe(403);
    const k8s = await call('POST', 'auth/kubernetes/login', {
      body: { role: vault.kubernetesRole, jwt: vault.kubernetesJwt },
    });
    expect(k8s.status).toBe(200);
    const token = vault.rootToken;
    expect(await call('GET', 'secret/data/dual-auth/none', { token })).toEqual({
      status: 404,
      body: { errors: [] },
    });
    vault.put('dual-auth/denied', 'x');
    vault.deny('dual-auth/denied');
    expect(await call('GET', 'secret/data/dual-auth/denied', { token })).toEqual({
      status: 403,
      body: { errors: ['permission denied'] },
    });
    expect((await call('GET', 'kv/data/dual-auth/x', { token })).body.errors?.[0]).toMatch(
      /no handler for route/,
    );
    expect((await call('GET', 'secret/data/dual-auth/none')).status).toBe(403);
  });

  it('expires tokens after their lease, renews them up to the max TTL', async () => {
    const token = (await appRoleLogin()).body.auth?.client_token ?? '';
    clock.advance(50_000);
    const renewed = await call('POST', 'auth/token/renew-self', { token, body: {} });
    expect(renewed.body.auth).toMatchObject({ client_token: token, lease_duration: 50 });
    clock.advance(45_000);
    expect((await call('GET', 'secret/data/dual-auth/none', { token })).status).toBe(404);
    clock.advance(10_000);
    expect((await call('GET', 'secret/data/dual-auth/none', { token })).status).toBe(403);
    expect((await call('POST', 'auth/token/renew-self', { token, body: {} })).status).toBe(403);
    expect(vault.counts().renewals).toBe(2);
  });

  it('revokes every token on expireTokens and refuses everything on failAuthentication', async () => {
    const token = (await appRoleLogin()).body.auth?.client_token ?? '';
    vault.expireTokens();
    expect((await call('GET', 'secret/data/dual-auth/none', { token })).status).toBe(403);
    expect((await call('GET', 'secret/data/dual-auth/none', { token: vault.rootToken })).status).toBe(403);
    vault.failAuthentication();
    expect((await appRoleLogin()).status).toBe(400);
  });

  it('requires the configured namespace and records what it saw', async () => {
    const enterprise = await startHashiCorpVaultEmulator({ namespace: 'admin/finance', tls: false });
    try {
      const read = (namespace?: string) =>
        fetch(`${enterprise.address}/v1/secret/data/dual-auth/none`, {
          headers: {
            'x-vault-token': enterprise.rootToken,
            ...(namespace ? { 'x-vault-namespace': namespace } : {}),
          },
        });
      expect(enterprise.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await read()).status).toBe(403);
      expect((await read('admin/finance')).status).toBe(404);
      expect(enterprise.namespacesSeen()).toEqual([undefined, 'admin/finance']);
    } finally {
      await enterprise.close();
    }
  });

  it('injects 503 (sealed), dropped connections and latency', async () => {
    vault.setFault('unavailable');
    expect(await call('GET', 'secret/data/x', { token: vault.rootToken })).toEqual({
      status: 503,
      body: { errors: ['Vault is sealed'] },
    });
    vault.setFault('drop');
    await expect(call('GET', 'secret/data/x', { token: vault.rootToken })).rejects.toThrow(TypeError);
    vault.setFault('none');
    vault.setLatency(150);
    const started = performance.now();
    await call('GET', 'secret/data/x', { token: vault.rootToken });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});
