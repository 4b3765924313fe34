import { ClientSecretCredential, CredentialUnavailableError, type TokenCredential } from '@azure/identity';
import type { SecretsBackend } from '@dual-auth/core';
import { testTls } from '@dual-auth/testkit';
import { describeSecretsBackend, expectSecretsBackendError } from '@dual-auth/testkit/conformance';
import { type AzureKeyVaultEmulator, startAzureKeyVaultEmulator } from '@dual-auth/testkit/emulators';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AzureSecretsBackendOptions, createAzureSecretsBackend } from '../src/index.ts';

function servicePrincipal(vault: AzureKeyVaultEmulator): TokenCredential {
  return new ClientSecretCredential(vault.tenantId, vault.clientId, vault.clientSecret, {
    authorityHost: vault.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: testTls().ca },
  });
}

function backendFor(
  vault: AzureKeyVaultEmulator,
  options: Partial<AzureSecretsBackendOptions> = {},
): SecretsBackend {
  return createAzureSecretsBackend({
    vaultUrl: vault.vaultUrl,
    credential: servicePrincipal(vault),
    ca: testTls().ca,
    disableChallengeResourceVerification: true,
    ...options,
  });
}

const failureOf = (read: Promise<unknown>, secretName = 'dual-auth-agent-client-id') =>
  expectSecretsBackendError(read, 'azure', secretName);

describeSecretsBackend('azure', async () => {
  const vault = await startAzureKeyVaultEmulator();
  const backend = backendFor(vault, { timeoutMs: 1000, maxRetries: 1 });
  return {
    backend,
    put: async (key, value) => vault.put(backend.secretNameFor(key), value),
    remove: async (key) => vault.remove(backend.secretNameFor(key)),
    deny: async (key) => vault.deny(backend.secretNameFor(key)),
    breakAuthentication: async () => vault.failAuthentication(),
    makeUnreachable: () => vault.close(),
    makeSlow: async () => vault.setLatency(3000),
    readCount: () => vault.counts().secretReads,
    close: () => vault.close(),
  };
});

describe('azure secrets backend against the Key Vault emulator', () => {
  let vault: AzureKeyVaultEmulator;
  beforeEach(async () => {
    vault = await startAzureKeyVaultEmulator();
  });
  afterEach(() => vault.close());

  it('reads the secret dual-auth-agent-client-id for AGENT_CLIENT_ID, after the bearer challenge', async () => {
    vault.put('dual-auth-agent-client-id', 'finance-agent');
    const backend = backendFor(vault);
    await expect(backend.getSecret('AGENT_CLIENT_ID')).resolves.toBe('finance-agent');
    expect(vault.counts()).toMatchObject({ challenges: 1, tokenRequests: 1, secretReads: 1 });
  });

  it('returns a JSON value verbatim, whitespace and key order included', async () => {
    const json = '{ "b": 1,\n  "a": ["x", {"nested": true}] }';
    vault.put('dual-auth-api-audience', json);
    await expect(backendFor(vault).getSecret('API_AUDIENCE')).resolves.toBe(json);
  });

  it('accepts any TokenCredential, such as a workload identity or a static token', async () => {
    vault.put('dual-auth-app-id', 'billing');
    const credential: TokenCredential = { getToken: async () => vault.issueAccessToken() };
    await expect(backendFor(vault, { credential }).getSecret('APP_ID')).resolves.toBe('billing');
    expect(vault.counts().tokenRequests).toBe(0);
  });

  it('reports denial with the role to grant', async () => {
    vault.put('dual-auth-agent-client-secret', 'value');
    vault.deny('dual-auth-agent-client-secret');
    const failure = await failureOf(
      backendFor(vault).getSecret('AGENT_CLIENT_SECRET'),
      'dual-auth-agent-client-secret',
    );
    expect(failure.secretName).toBe('dual-auth-agent-client-secret');
    expect(failure.message).toBe(
      'azure secrets backend: access denied (HTTP 403 Forbidden); grant the Key Vault Secrets User role for "dual-auth-agent-client-secret".',
    );
    expect(failure.cause).toMatchObject({ statusCode: 403, code: 'Forbidden' });
  });

  it('reports a service principal that Entra ID refuses as an authentication failure', async () => {
    vault.failAuthentication();
    const failure = await failureOf(backendFor(vault).getSecret('AGENT_CLIENT_ID'));
    expect(failure.message).toBe(
      'azure secrets backend: authentication to Microsoft Entra ID failed (AuthenticationRequiredError) for "dual-auth-agent-client-id".',
    );
  });

  it('reports an access token the vault refuses as an authentication failure', async () => {
    const revoked = vault.issueAccessToken();
    vault.failAuthentication();
    const credential: TokenCredential = { getToken: async () => revoked };
    const failure = await failureOf(backendFor(vault, { credential }).getSecret('AGENT_CLIENT_ID'));
    expect(failure.message).toMatch(/the vault refused the access token \(HTTP 401 Unauthorized\)/);
    expect(failure.cause).toMatchObject({ statusCode: 401 });
  });

  it('reports a missing credential (CredentialUnavailableError) with how to configure one', async () => {
    const credential: TokenCredential = {
      getToken: async () => {
        throw new CredentialUnavailableError('no managed identity endpoint');
      },
    };
    const failure = await failureOf(backendFor(vault, { credential }).getSecret('AGENT_CLIENT_ID'));
    expect(failure.message).toMatch(/no Azure credential is available \(CredentialUnavailableError\)/);
  });

  it('reports connection refused and dropped connections as unreachable', async () => {
    vault.setFault('drop');
    const dropped = await failureOf(backendFor(vault, { maxRetries: 0 }).getSecret('AGENT_CLIENT_ID'));
    expect(dropped.message).toMatch(/the vault is unreachable \((REQUEST_SEND_ERROR|ECONNRESET)\)/);
    await vault.close();
    const refused = await failureOf(backendFor(vault, { maxRetries: 0 }).getSecret('AGENT_CLIENT_ID'));
    expect(refused.message).toMatch(/the vault is unreachable \((REQUEST_SEND_ERROR|ECONNREFUSED)\)/);
  });

  it('retries a failing vault a bounded number of times, then reports the status', async () => {
    vault.put('dual-auth-agent-client-id', 'finance-agent');
    const backend = backendFor(vault, { maxRetries: 2, cacheTtlMs: 0 });
    await backend.getSecret('AGENT_CLIENT_ID');
    const before = vault.counts().requests;
    vault.setFault('unavailable');
    const failure = await failureOf(backend.getSecret('AGENT_CLIENT_ID'));
    expect(failure.message).toMatch(/the vault failed \(HTTP 503 ServiceUnavailable\)/);
    expect(vault.counts().requests - before).toBe(3);
  });

  it('gives up after timeoutMs when the vault is slow', async () => {
    vault.setLatency(2000);
    const failure = await failureOf(backendFor(vault, { timeoutMs: 300 }).getSecret('AGENT_CLIENT_ID'));
    expect(failure.message).toBe(
      'azure secrets backend: no answer within 300 ms for "dual-auth-agent-client-id".',
    );
  });

  it('verifies the vault certificate: without the test CA the read fails', async () => {
    vault.put('dual-auth-agent-client-id', 'finance-agent');
    const credential: TokenCredential = { getToken: async () => vault.issueAccessToken() };
    const backend = createAzureSecretsBackend({
      vaultUrl: vault.vaultUrl,
      credential,
      maxRetries: 0,
      disableChallengeResourceVerification: true,
    });
    const failure = await failureOf(backend.getSecret('AGENT_CLIENT_ID'));
    expect(failure.message).toMatch(
      /the vault's TLS certificate is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/,
    );
    expect(vault.counts().secretReads).toBe(0);
  });

  it('refuses a challenge for another resource unless verification is explicitly disabled', async () => {
    const credential: TokenCredential = { getToken: async () => vault.issueAccessToken() };
    const backend = backendFor(vault, { credential, disableChallengeResourceVerification: false });
    const failure = await failureOf(backend.getSecret('AGENT_CLIENT_ID'));
    expect(failure.message).toMatch(/bearer challenge names a resource outside the vault's domain/);
    expect(vault.counts().secretReads).toBe(0);
  });

  it('applies a custom prefix', async () => {
    vault.put('billing-agent-client-id', 'billing-agent');
    const backend = backendFor(vault, { prefix: 'billing-' });
    await expect(backend.getSecret('AGENT_CLIENT_ID')).resolves.toBe('billing-agent');
  });
});
