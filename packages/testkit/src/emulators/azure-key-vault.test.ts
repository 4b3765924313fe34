import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { trustTestCa } from '../tls/test-tls.ts';
import { type AzureKeyVaultEmulator, startAzureKeyVaultEmulator } from './azure-key-vault.ts';

let untrust: () => void;
beforeAll(() => {
  untrust = trustTestCa();
});
afterAll(() => untrust());

describe('Azure Key Vault emulator', () => {
  let vault: AzureKeyVaultEmulator;
  beforeEach(async () => {
    vault = await startAzureKeyVaultEmulator({ tenantId: 'contoso-tenant' });
  });
  afterEach(() => vault.close());

  const getSecret = (name: string, token?: string) =>
    fetch(`${vault.vaultUrl}/secrets/${name}/?api%2Dversion=2025-07-01`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });

  const requestToken = (clientSecret: string) =>
    fetch(`${vault.authorityHost}/contoso-tenant/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: vault.clientId,
        client_secret: clientSecret,
        scope: 'https://vault.azure.net/.default',
      }),
    });

  it('answers a request without a token with the bearer challenge', async () => {
    const response = await getSecret('dual-auth-agent-client-id');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer authorization="https://login.microsoftonline.com/contoso-tenant", resource="https://vault.azure.net"',
    );
    expect(vault.counts()).toMatchObject({ challenges: 1, secretReads: 0 });
  });

  it('serves a secret to a token from its token endpoint', async () => {
    vault.put('dual-auth-agent-client-id', 'finance-agent', { owner: 'finance' });
    const tokenResponse = await requestToken(vault.clientSecret);
    expect(tokenResponse.status).toBe(200);
    const { access_token: token, token_type: type } = (await tokenResponse.json()) as Record<string, string>;
    expect(type).toBe('Bearer');
    const response = await getSecret('dual-auth-agent-client-id', token);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      value: 'finance-agent',
      tags: { owner: 'finance' },
      attributes: { enabled: true },
    });
    expect(body.id).toMatch(new RegExp(`^${vault.vaultUrl}/secrets/dual-auth-agent-client-id/[0-9a-f]{32}$`));
  });

  it('refuses a wrong client secret, and every token once authentication fails', async () => {
    const refused = await requestToken('wrong');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
    const { token } = vault.issueAccessToken();
    vault.failAuthentication();
    expect((await getSecret('dual-auth-app-id', token)).status).toBe(401);
    expect((await requestToken(vault.clientSecret)).status).toBe(401);
  });

  it('answers 404 SecretNotFound, 403 Forbidden and 400 for a bad name', async () => {
    const { token } = vault.issueAccessToken();
    const missing = await getSecret('dual-auth-app-id', token);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'SecretNotFound' } });
    vault.put('dual-auth-app-id', 'x');
    vault.deny('dual-auth-app-id');
    const denied = await getSecret('dual-auth-app-id', token);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ error: { code: 'Forbidden' } });
    expect((await getSecret('dual_auth', token)).status).toBe(400);
    expect(vault.counts().secretReads).toBe(2);
  });

  it('injects latency, 503s and dropped connections', async () => {
    const { token } = vault.issueAccessToken();
    vault.setFault('unavailable');
    expect((await getSecret('dual-auth-app-id', token)).status).toBe(503);
    vault.setFault('drop');
    await expect(getSecret('dual-auth-app-id', token)).rejects.toThrow(TypeError);
    vault.setFault('none');
    vault.setLatency(150);
    const started = performance.now();
    expect((await getSecret('dual-auth-app-id', token)).status).toBe(404);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(vault.counts().requests).toBe(3);
  });

  it('refuses connections after close, and closes twice safely', async () => {
    await vault.close();
    await vault.close();
    await expect(getSecret('dual-auth-app-id')).rejects.toThrow(TypeError);
  });
});
