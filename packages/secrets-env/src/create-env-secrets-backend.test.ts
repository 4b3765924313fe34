import { describeSecretsBackend } from '@dual-auth/testkit/conformance';
import { describe, expect, it } from 'vitest';
import { createEnvSecretsBackend, secretsBackendDefinition } from './create-env-secrets-backend.ts';

describeSecretsBackend('env', async () => {
  const environment: Record<string, string | undefined> = {};
  return {
    backend: createEnvSecretsBackend({ environment }),
    put: async (key, value) => {
      environment[key] = value;
    },
    remove: async (key) => {
      delete environment[key];
    },
  };
});

describe('env secrets backend', () => {
  it('reads process.env at each call when given no environment', async () => {
    const backend = createEnvSecretsBackend();
    process.env.DUAL_AUTH_ENV_BACKEND_PROBE = 'first';
    await expect(backend.getSecret('DUAL_AUTH_ENV_BACKEND_PROBE')).resolves.toBe('first');
    process.env.DUAL_AUTH_ENV_BACKEND_PROBE = 'second';
    await expect(backend.getSecret('DUAL_AUTH_ENV_BACKEND_PROBE')).resolves.toBe('second');
    delete process.env.DUAL_AUTH_ENV_BACKEND_PROBE;
  });

  it('applies a prefix to every variable name', async () => {
    const backend = createEnvSecretsBackend({
      prefix: 'BILLING_',
      environment: { BILLING_AGENT_CLIENT_ID: 'billing-agent' },
    });
    await expect(backend.getSecret('AGENT_CLIENT_ID')).resolves.toBe('billing-agent');
    expect(backend.secretNameFor('AGENT_CLIENT_ID')).toBe('BILLING_AGENT_CLIENT_ID');
  });

  it('refuses a prefix or key that is not a variable name', async () => {
    expect(() => createEnvSecretsBackend({ prefix: 'A-B' })).toThrow(TypeError);
    await expect(createEnvSecretsBackend({ environment: {} }).getSecret('PATH=/x')).rejects.toThrow(
      TypeError,
    );
  });

  it('is what getConfig builds for the env backend', async () => {
    const backend = await secretsBackendDefinition.create({ AGENT_CLIENT_ID: 'finance-agent' });
    expect(secretsBackendDefinition.type).toBe('env');
    await expect(backend.getSecret('AGENT_CLIENT_ID')).resolves.toBe('finance-agent');
  });
});
