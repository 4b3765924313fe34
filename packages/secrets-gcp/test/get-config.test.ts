import { getConfig } from '@dual-auth/core/config';
import { startGcpSecretManagerEmulator } from '@dual-auth/testkit/emulators';
import { googleAuthLibrary } from 'google-gax';
import { expect, it } from 'vitest';
import { createGcpSecretsBackend } from '../src/index.ts';

it('gives getConfig() the Keycloak settings stored in GCP Secret Manager, kebab-cased', async () => {
  const gcp = await startGcpSecretManagerEmulator({ project: 'acme-prod' });
  const authClient = new googleAuthLibrary.OAuth2Client();
  authClient.setCredentials({ access_token: gcp.accessToken, expiry_date: Date.now() + 3_600_000 });
  const backend = createGcpSecretsBackend({
    project: 'acme-prod',
    clientOptions: { apiEndpoint: gcp.apiEndpoint, port: gcp.port, authClient },
  });
  gcp.put(
    'dual-auth-keycloak-token-url',
    'https://sso.example.com/realms/prod/protocol/openid-connect/token',
  );
  gcp.put('dual-auth-agent-client-id', 'finance-agent');
  gcp.put('dual-auth-agent-client-secret', 'client-secret-from-gcp');
  try {
    // The real Keycloak adapter, a dev dependency of this package, declares which settings to read.
    const config = await getConfig({
      vendor: 'keycloak',
      secretsBackend: backend,
      environment: {},
      resolveFrom: new URL('..', import.meta.url),
    });
    expect(config).toMatchObject({ secretsBackend: 'gcp', clientId: 'finance-agent', scope: undefined });
    expect(config.tokenUrl).toBe('https://sso.example.com/realms/prod/protocol/openid-connect/token');
    expect(config.clientSecret?.reveal()).toBe('client-secret-from-gcp');
  } finally {
    await backend.close?.();
    await gcp.close();
  }
});
