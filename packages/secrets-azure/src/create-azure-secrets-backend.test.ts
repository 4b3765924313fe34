import type { TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { createAzureSecretsBackend } from './create-azure-secrets-backend.ts';

const credential: TokenCredential = { getToken: async () => null };
const vaultUrl = 'https://finance-agents.vault.azure.net';

describe('createAzureSecretsBackend', () => {
  it('names secrets dual-auth-<key in lower case, hyphens for underscores>', () => {
    const backend = createAzureSecretsBackend({ vaultUrl, credential });
    expect(backend.name).toBe('azure');
    expect(backend.secretNameFor('AGENT_CLIENT_ID')).toBe('dual-auth-agent-client-id');
    expect(backend.secretNameFor('OKTA_TOKEN_URL')).toBe('dual-auth-okta-token-url');
  });

  it('applies a custom or empty prefix', () => {
    expect(
      createAzureSecretsBackend({ vaultUrl, credential, prefix: 'Billing-' }).secretNameFor('APP_ID'),
    ).toBe('Billing-app-id');
    expect(createAzureSecretsBackend({ vaultUrl, credential, prefix: '' }).secretNameFor('APP_ID')).toBe(
      'app-id',
    );
  });

  it('refuses keys that are not setting names, and names over 127 characters', async () => {
    const backend = createAzureSecretsBackend({ vaultUrl, credential });
    await expect(backend.getSecret('AGENT/../X')).rejects.toThrow(TypeError);
    await expect(backend.getSecret('agent-client-id')).rejects.toThrow(TypeError);
    expect(() => backend.secretNameFor(`K${'_'.repeat(130)}`)).toThrow(TypeError);
  });

  it.each([
    ['http://finance-agents.vault.azure.net', /must use https/],
    ['http://127.0.0.1:8443', /https is required/],
    ['https://user:pw@finance-agents.vault.azure.net', /user name or password/],
    ['https://finance-agents.vault.azure.net/?x=1', /query or fragment/],
    ['finance-agents', /not an absolute URL/],
  ])('refuses the vault URL %s with a TypeError', (url, problem) => {
    expect(() => createAzureSecretsBackend({ vaultUrl: url, credential })).toThrow(problem);
    expect(() => createAzureSecretsBackend({ vaultUrl: url, credential })).toThrow(TypeError);
  });

  it('refuses a bad prefix, retry count or credential with a TypeError', () => {
    expect(() => createAzureSecretsBackend({ vaultUrl, credential, prefix: 'dual_auth_' })).toThrow(
      TypeError,
    );
    expect(() => createAzureSecretsBackend({ vaultUrl, credential, maxRetries: 50 })).toThrow(TypeError);
    expect(() => createAzureSecretsBackend({ vaultUrl, credential, maxRetries: -1 })).toThrow(TypeError);
    expect(() => createAzureSecretsBackend({ vaultUrl, credential: {} as TokenCredential })).toThrow(
      TypeError,
    );
    expect(() => createAzureSecretsBackend({ vaultUrl, credential, timeoutMs: 0 })).toThrow(TypeError);
  });
});
