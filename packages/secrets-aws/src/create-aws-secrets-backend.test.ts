import { ConfigurationError } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { createAwsSecretsBackend, secretsBackendDefinition } from './create-aws-secrets-backend.ts';

describe('aws secrets backend naming and settings', () => {
  it('names a setting dual-auth/<KEY> by default, or <prefix><KEY>', () => {
    expect(createAwsSecretsBackend().secretNameFor('AGENT_CLIENT_ID')).toBe('dual-auth/AGENT_CLIENT_ID');
    expect(createAwsSecretsBackend({ prefix: 'prod/billing/' }).secretNameFor('AGENT_CLIENT_SECRET')).toBe(
      'prod/billing/AGENT_CLIENT_SECRET',
    );
    expect(createAwsSecretsBackend({ prefix: '' }).secretNameFor('APP_ID')).toBe('APP_ID');
  });

  it('refuses misuse with a TypeError: bad prefix, bad region, bad key', () => {
    expect(() => createAwsSecretsBackend({ prefix: 'dual auth/' })).toThrow(TypeError);
    expect(() => createAwsSecretsBackend({ region: 'Europe' })).toThrow(TypeError);
    expect(() => createAwsSecretsBackend().secretNameFor('../etc')).toThrow(TypeError);
  });

  it('is the aws definition getConfig loads, with the seed defaults', () => {
    expect(secretsBackendDefinition.type).toBe('aws');
    const backend = secretsBackendDefinition.create({}) as ReturnType<typeof createAwsSecretsBackend>;
    expect(backend.name).toBe('aws');
    expect(backend.secretNameFor('AGENT_CLIENT_ID')).toBe('dual-auth/AGENT_CLIENT_ID');
  });

  it('reads DUAL_AUTH_AWS_SECRET_PREFIX and DUAL_AUTH_AWS_REGION', () => {
    const backend = secretsBackendDefinition.create({
      DUAL_AUTH_AWS_REGION: ' eu-central-1 ',
      DUAL_AUTH_AWS_SECRET_PREFIX: 'team/',
    }) as ReturnType<typeof createAwsSecretsBackend>;
    expect(backend.secretNameFor('AGENT_CLIENT_ID')).toBe('team/AGENT_CLIENT_ID');
  });

  it.each([
    [{ DUAL_AUTH_AWS_REGION: 'us east 1' }, 'DUAL_AUTH_AWS_REGION'],
    [{ DUAL_AUTH_AWS_REGION: 'https://example.com' }, 'DUAL_AUTH_AWS_REGION'],
    [{ DUAL_AUTH_AWS_SECRET_PREFIX: 'dual-auth/%' }, 'DUAL_AUTH_AWS_SECRET_PREFIX'],
    [{ DUAL_AUTH_AWS_SECRET_PREFIX: 'x'.repeat(300) }, 'DUAL_AUTH_AWS_SECRET_PREFIX'],
  ])('refuses malformed settings %o with a ConfigurationError naming the setting', (environment, setting) => {
    const create = () => secretsBackendDefinition.create(environment);
    expect(create).toThrow(ConfigurationError);
    expect(create).toThrow(expect.objectContaining({ setting, code: 'ERR_CONFIGURATION' }));
    expect(create).toThrow(`${setting} must be`);
  });

  it('treats an empty DUAL_AUTH_AWS_REGION as unset', () => {
    expect(() => secretsBackendDefinition.create({ DUAL_AUTH_AWS_REGION: '' })).not.toThrow();
  });
});
