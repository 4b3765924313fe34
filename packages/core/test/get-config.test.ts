import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConfig, getSecretsBackendType, getVendor } from '../src/config/index.ts';
import { ConfigurationError, Secret, type SecretsBackend } from '../src/index.ts';

// Small on-disk packages stand in for the real adapter and backend packages, so getConfig's
// on-demand loading is exercised through Node's real module resolution.
const fixturePackages: Record<string, string> = {
  '@dual-auth/adapter-keycloak': `
    export const vendorDefinition = {
      vendor: 'keycloak',
      settings: [
        { key: 'KEYCLOAK_TOKEN_URL', kind: 'url', required: true, property: 'tokenUrl', description: 'the realm token endpoint' },
        { key: 'AGENT_CLIENT_ID', kind: 'text', required: true, property: 'clientId', description: "the agent's client id" },
        { key: 'AGENT_CLIENT_SECRET', kind: 'secret', required: true, property: 'clientSecret', description: "the agent's client secret" },
        { key: 'KEYCLOAK_AUTH_METHOD', kind: 'text', required: false, description: 'client authentication method' },
      ],
    };`,
  '@dual-auth/adapter-auth0': 'export const somethingElse = 1;',
  '@dual-auth/adapter-okta':
    "import 'a-dependency-that-is-not-installed';\nexport const vendorDefinition = {};",
  '@dual-auth/secrets-env': `
    export const secretsBackendDefinition = {
      type: 'env',
      create: (environment) => ({
        name: 'env',
        getSecret: async (key) => environment[key],
        secretNameFor: (key) => key,
        close: async () => { globalThis.dualAuthFixtureCloseCount = (globalThis.dualAuthFixtureCloseCount ?? 0) + 1; },
      }),
    };`,
  '@dual-auth/secrets-vault': `
    export const secretsBackendDefinition = {
      type: 'vault',
      create: () => ({
        name: 'vault',
        getSecret: async (key) => { const error = new Error('permission denied'); error.code = 'ERR_SECRETS_BACKEND'; error.backend = 'vault'; throw error; },
        secretNameFor: (key) => 'secret/data/dual-auth/' + key.toLowerCase().replaceAll('_', '-'),
      }),
    };`,
};

let resolveFrom: string;

beforeAll(() => {
  resolveFrom = mkdtempSync(join(tmpdir(), 'dual-auth-get-config-'));
  for (const [name, source] of Object.entries(fixturePackages)) {
    const directory = join(resolveFrom, 'node_modules', ...name.split('/'));
    mkdirSync(directory, { recursive: true });
    writeFileSync(
      join(directory, 'package.json'),
      JSON.stringify({ name, type: 'module', exports: './index.js' }),
    );
    writeFileSync(join(directory, 'index.js'), source);
  }
});

afterAll(() => rmSync(resolveFrom, { recursive: true, force: true }));

const secretCanary = 'canary-client-secret-9d41';
const validEnvironment = {
  DUAL_AUTH_VENDOR: 'keycloak',
  KEYCLOAK_TOKEN_URL: 'https://sso.example.com/realms/prod/protocol/openid-connect/token',
  AGENT_CLIENT_ID: 'finance-agent',
  AGENT_CLIENT_SECRET: `  ${secretCanary}\n`,
  API_SCOPE: 'finance.read finance.write',
  AGENT_ENDPOINT: 'https://agent.example.com/invoke',
  KEYCLOAK_AUTH_METHOD: 'client_secret_jwt',
};

async function configurationError(environment: Record<string, string | undefined>, options = {}) {
  const error = await getConfig({ environment, resolveFrom, ...options }).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, 'getConfig should have refused').toBeInstanceOf(ConfigurationError);
  expect((error as Error).message).not.toContain(secretCanary);
  return error as ConfigurationError;
}

describe('getConfig', () => {
  it('loads the vendor and backend packages and returns a validated, typed config', async () => {
    const config = await getConfig({ environment: validEnvironment, resolveFrom });
    expect(config).toMatchObject({
      vendor: 'keycloak',
      secretsBackend: 'env',
      tokenUrl: validEnvironment.KEYCLOAK_TOKEN_URL,
      clientId: 'finance-agent',
      scope: ['finance.read', 'finance.write'],
      agentEndpoint: 'https://agent.example.com/invoke',
      audience: undefined,
      allowInsecureLoopback: false,
      actDisplayClaims: [],
    });
    expect(config.clientSecret).toBeInstanceOf(Secret);
    expect(config.clientSecret?.reveal()).toBe(secretCanary);
    expect(config.settings.KEYCLOAK_AUTH_METHOD).toBe('client_secret_jwt');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('never shows the client secret when the config is serialized or inspected', async () => {
    const config = await getConfig({ environment: validEnvironment, resolveFrom });
    expect(JSON.stringify(config)).not.toContain(secretCanary);
    expect(inspect(config, { depth: 10, showHidden: true })).not.toContain(secretCanary);
    expect(`${config.clientSecret}`).not.toContain(secretCanary);
  });

  it('takes the vendor and backend from options before the environment', async () => {
    const backend: SecretsBackend = {
      name: 'custom',
      getSecret: async (key) => ({ ...validEnvironment, DUAL_AUTH_VENDOR: undefined })[key],
      secretNameFor: (key) => `custom:${key}`,
    };
    const config = await getConfig({
      vendor: 'keycloak',
      secretsBackend: backend,
      environment: {},
      resolveFrom,
    });
    expect(config.secretsBackend).toBe('custom');
    expect(config.clientId).toBe('finance-agent');
  });

  it('says which package to install when the vendor adapter is missing', async () => {
    const error = await configurationError({ ...validEnvironment, DUAL_AUTH_VENDOR: 'entraid' });
    expect(error.setting).toBe('DUAL_AUTH_VENDOR');
    expect(error.message).toContain('@dual-auth/adapter-entraid is not installed');
    expect(error.message).toContain('npm install @dual-auth/adapter-entraid');
  });

  it('says which package to install when the secrets backend is missing', async () => {
    const error = await configurationError({ ...validEnvironment, DUAL_AUTH_SECRETS_BACKEND: 'aws' });
    expect(error.setting).toBe('DUAL_AUTH_SECRETS_BACKEND');
    expect(error.message).toContain('@dual-auth/secrets-aws');
  });

  it('reports an installed adapter that fails to load, or exports no definition', async () => {
    const broken = await configurationError({ ...validEnvironment, DUAL_AUTH_VENDOR: 'okta' });
    expect(broken.message).toContain('@dual-auth/adapter-okta is installed but failed to load');
    expect(broken.cause).toBeInstanceOf(Error);
    const empty = await configurationError({ ...validEnvironment, DUAL_AUTH_VENDOR: 'auth0' });
    expect(empty.message).toContain('@dual-auth/adapter-auth0 does not export a vendorDefinition for auth0');
  });

  it.each([
    [{ DUAL_AUTH_VENDOR: undefined }, 'DUAL_AUTH_VENDOR', 'is not set'],
    [{ DUAL_AUTH_VENDOR: '' }, 'DUAL_AUTH_VENDOR', 'is not set'],
    [{ DUAL_AUTH_VENDOR: 'pingfederate' }, 'DUAL_AUTH_VENDOR', 'unknown vendor'],
    [{ DUAL_AUTH_SECRETS_BACKEND: 'keychain' }, 'DUAL_AUTH_SECRETS_BACKEND', 'unknown secrets backend'],
    [
      { DUAL_AUTH_ALLOW_INSECURE_LOOPBACK: 'yes' },
      'DUAL_AUTH_ALLOW_INSECURE_LOOPBACK',
      'must be true or false',
    ],
  ])('refuses the selection %j', async (override, setting, text) => {
    const error = await configurationError({ ...validEnvironment, ...override });
    expect(error.setting).toBe(setting);
    expect(error.message).toContain(text);
  });

  it.each(['KEYCLOAK_TOKEN_URL', 'AGENT_CLIENT_ID', 'AGENT_CLIENT_SECRET'])(
    'names a missing %s and where the backend looked for it',
    async (key) => {
      const error = await configurationError({ ...validEnvironment, [key]: undefined });
      expect(error.setting).toBe(key);
      expect(error.message).toContain(`${key} is not set`);
      expect(error.message).toContain(`the env secrets backend looked for "${key}"`);
    },
  );

  it.each(['KEYCLOAK_TOKEN_URL', 'AGENT_CLIENT_ID', 'AGENT_CLIENT_SECRET'])(
    'names an empty %s',
    async (key) => {
      const error = await configurationError({ ...validEnvironment, [key]: '   ' });
      expect(error.setting).toBe(key);
      expect(error.message).toContain(`${key} is empty`);
    },
  );

  it.each([
    ['KEYCLOAK_TOKEN_URL', 'http://sso.example.com/token', 'must use https'],
    [
      'KEYCLOAK_TOKEN_URL',
      'https://admin:hunter2@sso.example.com/token',
      'must not contain a user name or password',
    ],
    ['KEYCLOAK_TOKEN_URL', 'not a url', 'is not an absolute URL'],
    ['KEYCLOAK_TOKEN_URL', `https://sso.example.com/${'a'.repeat(2100)}`, 'longer than 2048'],
    ['KEYCLOAK_TOKEN_URL', 'http://127.0.0.1:8080/token', 'set DUAL_AUTH_ALLOW_INSECURE_LOOPBACK=true'],
    ['AGENT_ENDPOINT', 'ftp://agent.example.com', 'must use https'],
    ['API_SCOPE', 'finance.read "quoted"', 'OAuth scopes'],
    ['AGENT_CLIENT_ID', 'finance\u0007agent', 'invalid'],
    ['AGENT_CLIENT_SECRET', 'x'.repeat(70_000), 'longer than 64 KiB'],
  ])('refuses a malformed %s (%s)', async (key, value, text) => {
    const error = await configurationError({ ...validEnvironment, [key]: value });
    expect(error.setting).toBe(key);
    expect(error.message).toContain(text);
    expect(error.message).not.toContain('hunter2');
  });

  it('lists every problem at once, naming the first as the setting', async () => {
    const error = await configurationError({
      ...validEnvironment,
      AGENT_CLIENT_ID: undefined,
      AGENT_CLIENT_SECRET: '',
    });
    expect(error.setting).toBe('AGENT_CLIENT_ID');
    expect(error.message).toContain('AGENT_CLIENT_ID is not set');
    expect(error.message).toContain('AGENT_CLIENT_SECRET is empty');
  });

  it('treats an empty optional setting as unset', async () => {
    const config = await getConfig({ environment: { ...validEnvironment, API_SCOPE: '' }, resolveFrom });
    expect(config.scope).toBeUndefined();
  });

  it('reads DUAL_AUTH_ACT_DISPLAY_CLAIMS, and refuses unknown claims naming the setting', async () => {
    const config = await getConfig({
      environment: { ...validEnvironment, DUAL_AUTH_ACT_DISPLAY_CLAIMS: 'email,name' },
      resolveFrom,
    });
    expect(config.actDisplayClaims).toEqual(['email', 'name']);
    const error = await configurationError({
      ...validEnvironment,
      DUAL_AUTH_ACT_DISPLAY_CLAIMS: 'email,phone',
    });
    expect(error.setting).toBe('DUAL_AUTH_ACT_DISPLAY_CLAIMS');
  });

  it('accepts loopback http only with DUAL_AUTH_ALLOW_INSECURE_LOOPBACK=true', async () => {
    const environment = {
      ...validEnvironment,
      KEYCLOAK_TOKEN_URL: 'http://127.0.0.1:8080/realms/demo/protocol/openid-connect/token',
      DUAL_AUTH_ALLOW_INSECURE_LOOPBACK: 'true',
    };
    const config = await getConfig({ environment, resolveFrom });
    expect(config.allowInsecureLoopback).toBe(true);
    expect(config.tokenUrl).toBe(environment.KEYCLOAK_TOKEN_URL);
    const remote = await configurationError({
      ...environment,
      KEYCLOAK_TOKEN_URL: 'http://sso.example.com/token',
    });
    expect(remote.message).toContain('must use https');
    expect(remote.message).toContain('only on a loopback host');
  });

  it('passes a secrets backend failure through as the typed error it is', async () => {
    const error = await getConfig({
      environment: { ...validEnvironment, DUAL_AUTH_SECRETS_BACKEND: 'vault' },
      resolveFrom,
    }).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'ERR_SECRETS_BACKEND', backend: 'vault' });
  });

  it('closes a backend it created, on success and on failure', async () => {
    const counter = globalThis as { dualAuthFixtureCloseCount?: number };
    const before = counter.dualAuthFixtureCloseCount ?? 0;
    await getConfig({ environment: validEnvironment, resolveFrom });
    await configurationError({ ...validEnvironment, AGENT_CLIENT_ID: undefined });
    expect(counter.dualAuthFixtureCloseCount).toBe(before + 2);
  });

  it('leaves a backend it was given open for the caller', async () => {
    let closed = 0;
    const backend: SecretsBackend = {
      name: 'closing',
      getSecret: async (key) => validEnvironment[key as keyof typeof validEnvironment],
      secretNameFor: (key) => key,
      close: async () => void closed++,
    };
    await getConfig({ secretsBackend: backend, environment: validEnvironment, resolveFrom });
    expect(closed).toBe(0);
  });
});

describe('getVendor and getSecretsBackendType', () => {
  it('read the seed environment variables', () => {
    expect(getVendor(undefined, { DUAL_AUTH_VENDOR: ' EntraID ' })).toBe('entraid');
    expect(getVendor('okta', { DUAL_AUTH_VENDOR: 'auth0' })).toBe('okta');
    expect(getSecretsBackendType(undefined, {})).toBe('env');
    expect(getSecretsBackendType(undefined, { DUAL_AUTH_SECRETS_BACKEND: 'vault' })).toBe('vault');
    expect(getSecretsBackendType('gcp', { DUAL_AUTH_SECRETS_BACKEND: 'vault' })).toBe('gcp');
  });

  it('refuse what they do not know', () => {
    expect(() => getVendor(undefined, {})).toThrow(ConfigurationError);
    expect(() => getVendor('google', {})).toThrow(/unknown vendor/);
    expect(() => getSecretsBackendType('s3', {})).toThrow(/unknown secrets backend/);
  });
});
