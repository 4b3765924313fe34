import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { createVaultSecretsBackend, type VaultAuthentication } from './create-vault-secrets-backend.ts';

const address = 'https://vault.example.com:8200';
const authentication: VaultAuthentication = { method: 'token', token: new Secret('hvs.token') };

describe('createVaultSecretsBackend', () => {
  it('names secrets <mount>/data/<prefix><key in lower case, hyphens for underscores>', () => {
    const backend = createVaultSecretsBackend({ address, authentication });
    expect(backend.name).toBe('vault');
    expect(backend.secretNameFor('AGENT_CLIENT_ID')).toBe('secret/data/dual-auth/agent-client-id');
    expect(backend.secretNameFor('KEYCLOAK_TOKEN_URL')).toBe('secret/data/dual-auth/keycloak-token-url');
  });

  it('applies the mount and path prefix', () => {
    const backend = createVaultSecretsBackend({
      address,
      authentication,
      mount: '/teams/kv/',
      pathPrefix: 'apps/billing-',
    });
    expect(backend.secretNameFor('APP_ID')).toBe('teams/kv/data/apps/billing-app-id');
    expect(
      createVaultSecretsBackend({ address, authentication, pathPrefix: '' }).secretNameFor('APP_ID'),
    ).toBe('secret/data/app-id');
  });

  it('refuses keys that are not setting names', async () => {
    const backend = createVaultSecretsBackend({ address, authentication });
    await expect(backend.getSecret('../sys/raw')).rejects.toThrow(TypeError);
    expect(() => backend.secretNameFor('AGENT-ID')).toThrow(TypeError);
  });

  it.each([
    ['http://vault.example.com:8200', /must use https/],
    ['http://127.0.0.1:8200', /https is required/],
    ['https://user:pw@vault.example.com', /user name or password/],
    ['https://vault.example.com/?token=x', /query or fragment/],
    ['vault.example.com:8200', /address/],
  ])('refuses the address %s with a TypeError', (url, problem) => {
    expect(() => createVaultSecretsBackend({ address: url, authentication })).toThrow(problem);
    expect(() => createVaultSecretsBackend({ address: url, authentication })).toThrow(TypeError);
  });

  it('accepts http on loopback with allowInsecureLoopback', () => {
    expect(
      createVaultSecretsBackend({
        address: 'http://127.0.0.1:8200',
        authentication,
        allowInsecureLoopback: true,
      }).name,
    ).toBe('vault');
  });

  it.each<[string, Record<string, unknown>]>([
    ['an unknown method', { authentication: { method: 'userpass' } }],
    ['an empty token', { authentication: { method: 'token', token: '' } }],
    ['an AppRole without a secret id', { authentication: { method: 'approle', roleId: 'r' } }],
    ['a Kubernetes login without a role', { authentication: { method: 'kubernetes', role: '' } }],
    [
      'an auth mount with ..',
      { authentication: { method: 'approle', roleId: 'r', secretId: 's', mount: '../x' } },
    ],
    ['a mount with ..', { mount: 'secret/../sys' }],
    ['a prefix with a space', { pathPrefix: 'dual auth/' }],
    ['a namespace with a space', { namespace: 'admin finance' }],
    ['a zero timeout', { timeoutMs: 0 }],
  ])('refuses %s with a TypeError', (_case, overrides) => {
    expect(() => createVaultSecretsBackend({ address, authentication, ...overrides } as never)).toThrow(
      TypeError,
    );
  });

  it('closes the HTTP read when the read times out, also when a login used part of the time', async () => {
    const events: string[] = [];
    // A Vault whose AppRole login takes 300 ms and whose read never answers.
    const vault = createServer((request, response) => {
      if (request.url?.includes('/auth/approle/login')) {
        setTimeout(() => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify({ auth: { client_token: 't-1', lease_duration: 3600, renewable: true } }),
          );
        }, 300);
        return;
      }
      events.push('read');
      request.socket.on('close', () => events.push('closed'));
    });
    await new Promise<void>((resolve) => vault.listen(0, '127.0.0.1', resolve));
    try {
      const backend = createVaultSecretsBackend({
        address: `http://127.0.0.1:${(vault.address() as AddressInfo).port}`,
        allowInsecureLoopback: true,
        authentication: { method: 'approle', roleId: 'role', secretId: 'secret' },
        timeoutMs: 500,
      });
      await expect(backend.getSecret('AGENT_CLIENT_ID')).rejects.toThrow(/no answer within 500 ms/);
      // The read started about 300 ms in; its own timeout would end it about 300 ms after the
      // backend gave up. The read's signal ends it now.
      for (let attempt = 0; attempt < 15 && !events.includes('closed'); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(events).toEqual(['read', 'closed']);
      await backend.close?.();
    } finally {
      vault.closeAllConnections();
      await new Promise<void>((resolve) => vault.close(() => resolve()));
    }
  });
});
