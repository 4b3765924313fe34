import { ConfigurationError, type Environment } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { secretsBackendDefinition } from './secrets-backend-definition.ts';

const base = { VAULT_ADDR: 'https://vault.example.com:8200', VAULT_TOKEN: 'hvs.canary-token-3e1f' };

async function configurationErrorOf(environment: Environment): Promise<ConfigurationError> {
  const error = await Promise.resolve()
    .then(() => secretsBackendDefinition.create(environment))
    .then(
      () => undefined,
      (reason: unknown) => reason,
    );
  expect(error).toBeInstanceOf(ConfigurationError);
  const configurationError = error as ConfigurationError;
  for (const value of Object.values(environment)) {
    if (value !== undefined && value.length > 8) expect(configurationError.message).not.toContain(value);
  }
  return configurationError;
}

describe('vault secretsBackendDefinition', () => {
  it('is the vault backend with the secret mount and dual-auth/ prefix by default', async () => {
    expect(secretsBackendDefinition.type).toBe('vault');
    const backend = await secretsBackendDefinition.create(base);
    expect(backend.name).toBe('vault');
    expect(backend.secretNameFor('AGENT_CLIENT_ID')).toBe('secret/data/dual-auth/agent-client-id');
  });

  it('reads DUAL_AUTH_VAULT_MOUNT and DUAL_AUTH_VAULT_PATH_PREFIX (blank meaning the default)', async () => {
    const backend = await secretsBackendDefinition.create({
      ...base,
      DUAL_AUTH_VAULT_MOUNT: 'kv',
      DUAL_AUTH_VAULT_PATH_PREFIX: 'apps/finance-',
    });
    expect(backend.secretNameFor('AGENT_CLIENT_ID')).toBe('kv/data/apps/finance-agent-client-id');
    const blank = await secretsBackendDefinition.create({ ...base, DUAL_AUTH_VAULT_PATH_PREFIX: ' ' });
    expect(blank.secretNameFor('AGENT_CLIENT_ID')).toBe('secret/data/dual-auth/agent-client-id');
  });

  it('accepts AppRole and Kubernetes settings', async () => {
    const approle = { VAULT_ADDR: base.VAULT_ADDR, VAULT_ROLE_ID: 'role', VAULT_SECRET_ID: 'secret' };
    await expect(secretsBackendDefinition.create(approle)).resolves.toMatchObject({ name: 'vault' });
    const kubernetes = {
      VAULT_ADDR: base.VAULT_ADDR,
      VAULT_K8S_ROLE: 'finance-agent',
      VAULT_K8S_MOUNT: 'k8s-prod',
    };
    await expect(secretsBackendDefinition.create(kubernetes)).resolves.toMatchObject({ name: 'vault' });
  });

  it.each<[string, Environment, string]>([
    ['VAULT_ADDR missing', { VAULT_TOKEN: 'hvs.x' }, 'VAULT_ADDR'],
    ['VAULT_ADDR not https', { ...base, VAULT_ADDR: 'http://vault.example.com:8200' }, 'VAULT_ADDR'],
    [
      'VAULT_ADDR http on loopback without the opt-in',
      { ...base, VAULT_ADDR: 'http://127.0.0.1:8200' },
      'VAULT_ADDR',
    ],
    [
      'VAULT_ADDR with credentials',
      { ...base, VAULT_ADDR: 'https://admin:hunter2-password@vault.example.com' },
      'VAULT_ADDR',
    ],
    [
      'VAULT_ADDR with a query',
      { ...base, VAULT_ADDR: 'https://vault.example.com/?token=hvs.in-query-1234' },
      'VAULT_ADDR',
    ],
    [
      'the opt-in malformed',
      { ...base, DUAL_AUTH_ALLOW_INSECURE_LOOPBACK: 'yes' },
      'DUAL_AUTH_ALLOW_INSECURE_LOOPBACK',
    ],
    ['no authentication', { VAULT_ADDR: base.VAULT_ADDR }, 'VAULT_TOKEN'],
    [
      'a role id without a secret id',
      { VAULT_ADDR: base.VAULT_ADDR, VAULT_ROLE_ID: 'role-id-canary-1' },
      'VAULT_SECRET_ID',
    ],
    [
      'a secret id without a role id',
      { VAULT_ADDR: base.VAULT_ADDR, VAULT_SECRET_ID: 'secret-id-canary-1' },
      'VAULT_ROLE_ID',
    ],
    ['a malformed namespace', { ...base, VAULT_NAMESPACE: 'admin/../root' }, 'VAULT_NAMESPACE'],
    ['a malformed mount', { ...base, DUAL_AUTH_VAULT_MOUNT: 'secret data' }, 'DUAL_AUTH_VAULT_MOUNT'],
    ['a malformed prefix', { ...base, DUAL_AUTH_VAULT_PATH_PREFIX: '/abs' }, 'DUAL_AUTH_VAULT_PATH_PREFIX'],
    [
      'a malformed Kubernetes mount',
      { VAULT_ADDR: base.VAULT_ADDR, VAULT_K8S_ROLE: 'r', VAULT_K8S_MOUNT: '..' },
      'VAULT_K8S_MOUNT',
    ],
    [
      'an unreadable VAULT_CACERT',
      { ...base, VAULT_CACERT: '/nonexistent/dual-auth/ca.pem' },
      'VAULT_CACERT',
    ],
  ])(
    'refuses %s with a ConfigurationError naming the setting, not its value',
    async (_case, environment, name) => {
      const error = await configurationErrorOf(environment);
      expect(error.setting).toBe(name);
      expect(error.message.startsWith(`${name} `)).toBe(true);
    },
  );

  it('accepts http on loopback with DUAL_AUTH_ALLOW_INSECURE_LOOPBACK=true', async () => {
    const backend = await secretsBackendDefinition.create({
      ...base,
      VAULT_ADDR: 'http://127.0.0.1:8200',
      DUAL_AUTH_ALLOW_INSECURE_LOOPBACK: 'true',
    });
    expect(backend.name).toBe('vault');
  });
});
