import { ConfigurationError } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { createGcpSecretsBackend, secretsBackendDefinition } from './create-gcp-secrets-backend.ts';

describe('gcp secrets backend naming and settings', () => {
  it('names a setting dual-auth-<key in kebab case>, or <prefix><key in kebab case>', () => {
    const backend = createGcpSecretsBackend({ project: 'acme-prod' });
    expect(backend.secretNameFor('AGENT_CLIENT_ID')).toBe('dual-auth-agent-client-id');
    expect(backend.secretNameFor('API_SCOPE')).toBe('dual-auth-api-scope');
    expect(
      createGcpSecretsBackend({ project: 'acme-prod', prefix: 'billing_' }).secretNameFor('APP_ID'),
    ).toBe('billing_app-id');
    expect(backend.name).toBe('gcp');
  });

  it('refuses misuse with a TypeError: missing or bad project, bad prefix, version or key', () => {
    expect(() => createGcpSecretsBackend(undefined as never)).toThrow(TypeError);
    expect(() => createGcpSecretsBackend({ project: '' })).toThrow(TypeError);
    expect(() => createGcpSecretsBackend({ project: 'projects/acme' })).toThrow(TypeError);
    expect(() => createGcpSecretsBackend({ project: 'acme-prod', prefix: 'dual/auth' })).toThrow(TypeError);
    expect(() => createGcpSecretsBackend({ project: 'acme-prod', version: '../1' })).toThrow(TypeError);
    expect(() => createGcpSecretsBackend({ project: 'acme-prod' }).secretNameFor('a-b')).toThrow(TypeError);
  });

  it('accepts project ids, project numbers and domain-scoped projects', () => {
    for (const project of ['acme-prod', '123456789012', 'example.com:acme-prod']) {
      expect(() => createGcpSecretsBackend({ project })).not.toThrow();
    }
  });

  it('is the gcp definition getConfig loads, reading DUAL_AUTH_GCP_PROJECT and DUAL_AUTH_GCP_SECRET_PREFIX', () => {
    expect(secretsBackendDefinition.type).toBe('gcp');
    const backend = secretsBackendDefinition.create({ DUAL_AUTH_GCP_PROJECT: ' acme-prod ' }) as ReturnType<
      typeof createGcpSecretsBackend
    >;
    expect(backend.secretNameFor('AGENT_CLIENT_ID')).toBe('dual-auth-agent-client-id');
    const prefixed = secretsBackendDefinition.create({
      DUAL_AUTH_GCP_PROJECT: 'acme-prod',
      DUAL_AUTH_GCP_SECRET_PREFIX: 'team-',
    }) as ReturnType<typeof createGcpSecretsBackend>;
    expect(prefixed.secretNameFor('AGENT_CLIENT_ID')).toBe('team-agent-client-id');
  });

  it.each([
    [{}, 'DUAL_AUTH_GCP_PROJECT', 'is not set'],
    [{ DUAL_AUTH_GCP_PROJECT: '   ' }, 'DUAL_AUTH_GCP_PROJECT', 'is not set'],
    [{ DUAL_AUTH_GCP_PROJECT: 'Acme Prod' }, 'DUAL_AUTH_GCP_PROJECT', 'must be'],
    [
      { DUAL_AUTH_GCP_PROJECT: 'acme-prod', DUAL_AUTH_GCP_SECRET_PREFIX: 'a/b' },
      'DUAL_AUTH_GCP_SECRET_PREFIX',
      'must be',
    ],
  ])('refuses %o with a ConfigurationError naming the setting', (environment, setting, text) => {
    const create = () => secretsBackendDefinition.create(environment as Record<string, string>);
    expect(create).toThrow(ConfigurationError);
    expect(create).toThrow(expect.objectContaining({ setting, code: 'ERR_CONFIGURATION' }));
    expect(create).toThrow(`${setting} ${text}`);
  });
});
