import { ConfigurationError } from '@dual-auth/core';
import { getConfig } from '@dual-auth/core/config';
import { startAwsSecretsManagerEmulator } from '@dual-auth/testkit/emulators';
import { expect, it } from 'vitest';
import { createAwsSecretsBackend } from '../src/index.ts';

// The real Keycloak adapter, resolved from this package (a dev dependency), reads its settings
// through the AWS backend from the emulator.
it('gives getConfig() the Keycloak settings stored in AWS Secrets Manager, and names a missing one', async () => {
  const aws = await startAwsSecretsManagerEmulator();
  const backend = createAwsSecretsBackend({
    clientConfig: { endpoint: aws.endpoint, credentials: aws.credentials, maxAttempts: 1 },
  });
  const options = {
    vendor: 'keycloak',
    secretsBackend: backend,
    environment: {},
    resolveFrom: new URL('..', import.meta.url),
  };
  try {
    aws.put(
      'dual-auth/KEYCLOAK_TOKEN_URL',
      'https://sso.example.com/realms/prod/protocol/openid-connect/token',
    );
    aws.put('dual-auth/API_SCOPE', 'finance.read finance.write');
    await expect(getConfig(options)).rejects.toBeInstanceOf(ConfigurationError);
    await expect(getConfig(options)).rejects.toThrow(
      expect.objectContaining({
        setting: 'AGENT_CLIENT_ID',
        message: expect.stringContaining('"dual-auth/AGENT_CLIENT_ID"'),
      }),
    );
    aws.put('dual-auth/AGENT_CLIENT_ID', 'finance-agent');
    aws.put('dual-auth/AGENT_CLIENT_SECRET', 'client-secret-from-aws');
    backend.refresh?.();
    const config = await getConfig(options);
    expect(config).toMatchObject({
      vendor: 'keycloak',
      secretsBackend: 'aws',
      tokenUrl: 'https://sso.example.com/realms/prod/protocol/openid-connect/token',
      clientId: 'finance-agent',
      scope: ['finance.read', 'finance.write'],
    });
    expect(config.clientSecret?.reveal()).toBe('client-secret-from-aws');
  } finally {
    await backend.close?.();
    await aws.close();
  }
});
