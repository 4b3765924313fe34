// Issue 5, end to end: getConfig() with each secrets backend (env, AWS, GCP, Azure, Vault — each
// cloud one through its real SDK against the testkit's emulator on 127.0.0.1) × each vendor adapter
// package, then a real token request with that configuration against the embedded IdP's profile of
// that vendor. AWS and Vault are selected the way production selects them, by
// DUAL_AUTH_SECRETS_BACKEND and their settings (core loads the package); GCP and Azure need an
// injected credential here (their default credential chains cannot point at an emulator), env a
// prefix, so those are handed to getConfig() as backend instances.
import { fileURLToPath } from 'node:url';
import { ConfigurationError, type DualAuthConfig, isDualAuthError, type Vendor } from '@dual-auth/core';
import { type GetConfigOptions, getConfig } from '@dual-auth/core/config';
import { createAzureSecretsBackend } from '@dual-auth/secrets-azure';
import { createEnvSecretsBackend } from '@dual-auth/secrets-env';
import { createGcpSecretsBackend } from '@dual-auth/secrets-gcp';
import { HybridSender } from '@dual-auth/sender';
import { testTls } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import {
  type AwsSecretsManagerEmulator,
  type AzureKeyVaultEmulator,
  type GcpSecretManagerEmulator,
  type HashiCorpVaultEmulator,
  startAwsSecretsManagerEmulator,
  startAzureKeyVaultEmulator,
  startGcpSecretManagerEmulator,
  startHashiCorpVaultEmulator,
} from '@dual-auth/testkit/emulators';
import { googleAuthLibrary } from 'google-gax';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ID,
  agentNamed,
  captureProcessOutput,
  capturingLogger,
  humanNamed,
  leakedCanaries,
  vendorCases,
  vendors,
  views,
} from './harness.ts';

const caPath = fileURLToPath(
  import.meta.resolve('@dual-auth/testkit/package.json').replace(/package\.json$/, 'fixtures/tls/ca.pem'),
);
const kebab = (key: string) => key.toLowerCase().replaceAll('_', '-');

/** One secrets service holding the settings of several tenants (one per vendor), apart by prefix. */
interface Source {
  readonly backend: 'env' | 'aws' | 'gcp' | 'azure' | 'vault';
  put(tenant: string, key: string, value: string): void;
  deny(tenant: string, key: string): void;
  /** Reads the service has answered so far (the env backend reads its store: counted by a proxy). */
  reads(): number;
  /** The service's name of `key`, by the naming convention of SECRETS.md. */
  secretName(tenant: string, key: string): string;
  /** How getConfig() reaches this tenant's settings; `close` releases what the test created. */
  options(tenant: string): { options: GetConfigOptions; close(): Promise<void> };
}

const { logger, lines } = capturingLogger();
const processOutput = captureProcessOutput();
const outputs: unknown[] = [];
const idp = useEmbeddedIdp();
let sender: HybridSender;
let aws: AwsSecretsManagerEmulator;
let gcp: GcpSecretManagerEmulator;
let azure: AzureKeyVaultEmulator;
let vault: HashiCorpVaultEmulator;
const sources: Source[] = [];
const resolveFrom = new URL('..', import.meta.url);
const savedEnvironment = { ...process.env };

beforeAll(async () => {
  [aws, gcp, azure, vault] = await Promise.all([
    startAwsSecretsManagerEmulator(),
    startGcpSecretManagerEmulator({ project: 'acme-prod' }),
    startAzureKeyVaultEmulator(),
    startHashiCorpVaultEmulator(),
  ]);
  const { generateKeyPairSync } = await import('node:crypto');
  sender = await HybridSender.create({
    privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString(),
    appId: APP_ID,
    logger,
  });
  // The AWS SDK's own configuration chain (environment variables), as in a container on ECS/EKS.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.endpoint,
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
  });

  let envReads = 0;
  const envValues: Record<string, string> = {};
  const envStore = new Proxy(envValues, {
    get: (target, key) => {
      if (typeof key === 'string' && key in target) envReads++;
      return typeof key === 'string' ? target[key] : undefined;
    },
  });
  sources.push(
    {
      backend: 'env',
      put: (tenant, key, value) => {
        envValues[`${tenant.toUpperCase()}_${key}`] = value;
      },
      deny: () => undefined,
      reads: () => envReads,
      secretName: (tenant, key) => `${tenant.toUpperCase()}_${key}`,
      options: (tenant) => ({
        options: {
          secretsBackend: createEnvSecretsBackend({
            prefix: `${tenant.toUpperCase()}_`,
            environment: envStore,
          }),
        },
        close: async () => undefined,
      }),
    },
    {
      backend: 'aws',
      put: (tenant, key, value) => aws.put(`dual-auth/${tenant}/${key}`, value),
      deny: (tenant, key) => aws.deny(`dual-auth/${tenant}/${key}`),
      reads: () => aws.readCount,
      secretName: (tenant, key) => `dual-auth/${tenant}/${key}`,
      options: (tenant) => ({
        options: {
          environment: {
            DUAL_AUTH_SECRETS_BACKEND: 'aws',
            DUAL_AUTH_AWS_REGION: aws.region,
            DUAL_AUTH_AWS_SECRET_PREFIX: `dual-auth/${tenant}/`,
          },
        },
        close: async () => undefined,
      }),
    },
    {
      backend: 'gcp',
      put: (tenant, key, value) => gcp.put(`dual-auth-${tenant}-${kebab(key)}`, value),
      deny: (tenant, key) => gcp.deny(`dual-auth-${tenant}-${kebab(key)}`),
      reads: () => gcp.readCount,
      secretName: (tenant, key) => `dual-auth-${tenant}-${kebab(key)}`,
      options: (tenant) => {
        const authClient = new googleAuthLibrary.OAuth2Client();
        authClient.setCredentials({ access_token: gcp.accessToken, expiry_date: Date.now() + 3_600_000 });
        const backend = createGcpSecretsBackend({
          project: gcp.project,
          prefix: `dual-auth-${tenant}-`,
          clientOptions: { apiEndpoint: gcp.apiEndpoint, port: gcp.port, authClient },
          timeoutMs: 5_000,
          logger,
        });
        return { options: { secretsBackend: backend }, close: async () => backend.close?.() };
      },
    },
    {
      backend: 'azure',
      put: (tenant, key, value) => azure.put(`dual-auth-${tenant}-${kebab(key)}`, value),
      deny: (tenant, key) => azure.deny(`dual-auth-${tenant}-${kebab(key)}`),
      reads: () => azure.counts().secretReads,
      secretName: (tenant, key) => `dual-auth-${tenant}-${kebab(key)}`,
      options: (tenant) => {
        const backend = createAzureSecretsBackend({
          vaultUrl: azure.vaultUrl,
          prefix: `dual-auth-${tenant}-`,
          // A workload-identity token, as the Azure SDK would fetch it (the emulator issues it).
          credential: { getToken: async () => azure.issueAccessToken() },
          ca: testTls().ca,
          disableChallengeResourceVerification: true,
          maxRetries: 0,
          timeoutMs: 5_000,
        });
        return { options: { secretsBackend: backend }, close: async () => backend.close?.() };
      },
    },
    {
      backend: 'vault',
      put: (tenant, key, value) => vault.put(`dual-auth/${tenant}/${kebab(key)}`, value),
      deny: (tenant, key) => vault.deny(`dual-auth/${tenant}/${kebab(key)}`),
      reads: () => vault.counts().reads,
      secretName: (tenant, key) => `secret/data/dual-auth/${tenant}/${kebab(key)}`,
      options: (tenant) => ({
        options: {
          environment: {
            DUAL_AUTH_SECRETS_BACKEND: 'vault',
            VAULT_ADDR: vault.address,
            VAULT_ROLE_ID: vault.roleId,
            VAULT_SECRET_ID: vault.secretId,
            VAULT_CACERT: caPath,
            DUAL_AUTH_VAULT_PATH_PREFIX: `dual-auth/${tenant}/`,
          },
        },
        close: async () => undefined,
      }),
    },
  );

  // Every service holds each vendor's settings under the vendor's own prefix, plus an incomplete tenant.
  for (const source of sources) {
    for (const vendor of vendors) {
      const profile = idp.profile(vendor);
      const agent = agentNamed(profile, 'finance-agent');
      const settings: Record<string, string> = {
        [vendorCases[vendor].tokenUrlKey]: profile.tokenEndpoint,
        AGENT_CLIENT_ID: agent.clientId,
        AGENT_CLIENT_SECRET: agent.clientSecret,
        API_AUDIENCE: profile.audience,
        API_SCOPE: profile.scope.join(' '),
        APP_ID,
      };
      for (const [key, value] of Object.entries(settings)) source.put(vendor, key, value);
    }
    const keycloak = idp.profile('keycloak');
    source.put('incomplete', 'KEYCLOAK_TOKEN_URL', keycloak.tokenEndpoint);
    source.put('incomplete', 'AGENT_CLIENT_SECRET', agentNamed(keycloak, 'finance-agent').clientSecret);
    source.put('denied', 'KEYCLOAK_TOKEN_URL', keycloak.tokenEndpoint);
    source.put('denied', 'AGENT_CLIENT_ID', 'finance-agent');
    source.put('denied', 'AGENT_CLIENT_SECRET', agentNamed(keycloak, 'finance-agent').clientSecret);
    source.deny('denied', 'AGENT_CLIENT_SECRET');
  }
});

afterAll(async () => {
  processOutput.restore();
  for (const key of Object.keys(process.env)) if (!(key in savedEnvironment)) delete process.env[key];
  await Promise.all([aws?.close(), gcp?.close(), azure?.close(), vault?.close()]);
});

async function loadConfig(source: Source, tenant: string, vendor: Vendor): Promise<DualAuthConfig> {
  const { options, close } = source.options(tenant);
  try {
    return await getConfig({ vendor, resolveFrom, environment: {}, ...options });
  } finally {
    await close();
  }
}

const backends = ['env', 'aws', 'gcp', 'azure', 'vault'] as const;
const sourceOf = (backend: (typeof backends)[number]) => {
  const source = sources.find((candidate) => candidate.backend === backend);
  if (source === undefined) throw new TypeError(`no ${backend} source`);
  return source;
};

describe.each(backends)('%s secrets backend', (backend) => {
  it.each(vendors)(
    'gives getConfig() the %s settings from the service, and they get a real token',
    async (vendor) => {
      const source = sourceOf(backend);
      const profile = idp.profile(vendor);
      const agent = agentNamed(profile, 'finance-agent');
      const readsBefore = source.reads();
      const config = await loadConfig(source, vendor, vendor);
      outputs.push(config);
      // Every setting the vendor declares was read from the service (found or not).
      expect(source.reads() - readsBefore).toBeGreaterThanOrEqual(6);
      expect(config).toMatchObject({
        vendor,
        secretsBackend: backend,
        tokenUrl: profile.tokenEndpoint,
        clientId: 'finance-agent',
        audience: profile.audience,
        scope: profile.scope,
        appId: APP_ID,
      });
      expect(config.clientSecret?.reveal()).toBe(agent.clientSecret);

      const mode = vendorCases[vendor].modes[0];
      const adapter = vendorCases[vendor].createAdapter(config, {
        logger,
        ...(mode === 'hybrid'
          ? { signActAssertion: sender.createActAssertionSigner({ audience: profile.audience }) }
          : {}),
      });
      expect(adapter.mode).toBe(mode);
      const alice = humanNamed(profile, 'alice');
      const before = profile.tokenRequestCount();
      const tokenResponse = await adapter.requestToken({
        agentId: config.clientId,
        act: { sub: alice.id, email: alice.email, name: alice.name },
      });
      expect(profile.tokenRequestCount() - before).toBe(1);
      outputs.push(tokenResponse);
      const claims = decodeJwt(tokenResponse.accessToken);
      expect(claims.iss).toBe(profile.issuer);
      expect([claims.azp, claims.cid]).toContain('finance-agent');
      expect(tokenResponse.hasActAssertion).toBe(mode === 'hybrid');
    },
  );

  it('names a missing required key and the secret it looked for', async () => {
    const source = sourceOf(backend);
    const failure = await loadConfig(source, 'incomplete', 'keycloak').catch((error: unknown) => error);
    outputs.push(failure);
    expect(failure).toBeInstanceOf(ConfigurationError);
    expect(failure).toMatchObject({
      code: 'ERR_CONFIGURATION',
      setting: 'AGENT_CLIENT_ID',
      message: expect.stringContaining(`"${source.secretName('incomplete', 'AGENT_CLIENT_ID')}"`),
    });
    expect((failure as Error).message).toContain(`the ${backend} secrets backend`);
  });

  it('reports a denied secret by backend and name, never by value', async (context) => {
    if (backend === 'env') return context.skip('environment variables cannot deny a read');
    const source = sourceOf(backend);
    const failure = await loadConfig(source, 'denied', 'keycloak').catch((error: unknown) => error);
    outputs.push(failure);
    expect(isDualAuthError(failure, 'ERR_SECRETS_BACKEND')).toBe(true);
    expect(failure).toMatchObject({ backend });
    expect(String((failure as { secretName?: unknown }).secretName)).toContain(
      source.secretName('denied', 'AGENT_CLIENT_SECRET').replace(/^secret\/data\//, ''),
    );
  });
});

it('canary: no secret value in logs, process output, errors or serialized configurations', () => {
  const secrets = [
    ...new Set(vendors.map((vendor) => agentNamed(idp.profile(vendor), 'finance-agent').clientSecret)),
  ];
  expect(outputs.length).toBeGreaterThan(backends.length * vendors.length);
  const texts = [...lines, ...processOutput.written, ...outputs.flatMap(views)];
  expect(leakedCanaries(texts, secrets)).toEqual([]);
});
