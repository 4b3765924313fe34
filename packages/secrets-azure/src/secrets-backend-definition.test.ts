import { ConfigurationError } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { secretsBackendDefinition } from './secrets-backend-definition.ts';

const vaultUrl = 'https://finance-agents.vault.azure.net';

function configurationErrorOf(create: () => unknown): ConfigurationError {
  try {
    create();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('azure secretsBackendDefinition', () => {
  it('is the azure backend, with the dual-auth- prefix by default', async () => {
    expect(secretsBackendDefinition.type).toBe('azure');
    const backend = await secretsBackendDefinition.create({ DUAL_AUTH_AZURE_VAULT_URL: vaultUrl });
    expect(backend.name).toBe('azure');
    expect(backend.secretNameFor('AGENT_CLIENT_ID')).toBe('dual-auth-agent-client-id');
  });

  it('reads DUAL_AUTH_AZURE_SECRET_PREFIX', async () => {
    const backend = await secretsBackendDefinition.create({
      DUAL_AUTH_AZURE_VAULT_URL: ` ${vaultUrl}/ `,
      DUAL_AUTH_AZURE_SECRET_PREFIX: 'billing-',
    });
    expect(backend.secretNameFor('AGENT_CLIENT_ID')).toBe('billing-agent-client-id');
  });

  it.each([
    [undefined, /is not set/],
    ['  ', /is not set/],
    ['finance-agents', /not an absolute URL/],
    ['http://finance-agents.vault.azure.net', /must use https/],
    ['http://127.0.0.1:8443', /https is required/],
    ['https://user:secret-in-url@finance-agents.vault.azure.net', /user name or password/],
    ['https://finance-agents.vault.azure.net/?sig=abc', /query or fragment/],
  ])('refuses DUAL_AUTH_AZURE_VAULT_URL=%s with a ConfigurationError naming it', (value, problem) => {
    const error = configurationErrorOf(() =>
      secretsBackendDefinition.create({ DUAL_AUTH_AZURE_VAULT_URL: value }),
    );
    expect(error.setting).toBe('DUAL_AUTH_AZURE_VAULT_URL');
    expect(error.message).toMatch(/^DUAL_AUTH_AZURE_VAULT_URL /);
    expect(error.message).toMatch(problem);
    expect(error.message).not.toContain('secret-in-url');
    expect(error.message).not.toContain('sig=abc');
  });

  it('refuses a prefix Key Vault cannot hold with a ConfigurationError naming it', () => {
    const error = configurationErrorOf(() =>
      secretsBackendDefinition.create({
        DUAL_AUTH_AZURE_VAULT_URL: vaultUrl,
        DUAL_AUTH_AZURE_SECRET_PREFIX: 'dual_auth/',
      }),
    );
    expect(error.setting).toBe('DUAL_AUTH_AZURE_SECRET_PREFIX');
    expect(error.code).toBe('ERR_CONFIGURATION');
  });
});
