import { inspect } from 'node:util';
import { ConfigurationError } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { liveTenantVariables } from './live-tenant-variables.ts';
import { readLiveTenant } from './read-live-tenant.ts';

const secret = 'canary-live-secret-4d1f0b9e7c';

const okta = {
  DUAL_AUTH_LIVE_OKTA_ISSUER: 'https://example.okta.com/oauth2/aus1',
  DUAL_AUTH_LIVE_OKTA_AUDIENCE: 'api://finance',
  DUAL_AUTH_LIVE_OKTA_SCOPE: 'finance.read  finance.write',
  DUAL_AUTH_LIVE_OKTA_AGENT_CLIENT_ID: '0oa-agent',
  DUAL_AUTH_LIVE_OKTA_AGENT_CLIENT_SECRET: secret,
  DUAL_AUTH_LIVE_OKTA_ROGUE_CLIENT_ID: '0oa-rogue',
  DUAL_AUTH_LIVE_OKTA_ROGUE_CLIENT_SECRET: `${secret}-rogue`,
};

const keycloak = {
  DUAL_AUTH_LIVE_KEYCLOAK_ISSUER: 'https://sso.example.com/realms/finance',
  DUAL_AUTH_LIVE_KEYCLOAK_AUDIENCE: 'finance-api',
  DUAL_AUTH_LIVE_KEYCLOAK_AUTH_METHOD: 'private_key_jwt',
  DUAL_AUTH_LIVE_KEYCLOAK_AGENT_CLIENT_ID: 'finance-agent',
  DUAL_AUTH_LIVE_KEYCLOAK_AGENT_PRIVATE_KEY_PATH: '/secrets/agent.pem',
  DUAL_AUTH_LIVE_KEYCLOAK_ROGUE_CLIENT_ID: 'rogue-agent',
  DUAL_AUTH_LIVE_KEYCLOAK_ROGUE_PRIVATE_KEY_PATH: '/secrets/rogue.pem',
  DUAL_AUTH_LIVE_KEYCLOAK_APPROVED_HUMAN: 'f1d2-alice',
  DUAL_AUTH_LIVE_KEYCLOAK_REFUSED_HUMANS: ' b0b-bob , ca401-carol ',
};

function configurationError(read: () => unknown): ConfigurationError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('readLiveTenant', () => {
  it('reports a vendor without variables as not configured, naming the variables and the docs', () => {
    expect(readLiveTenant('auth0', { ...okta, DUAL_AUTH_LIVE_AUTH0_ISSUER: '  ' })).toEqual({
      configured: false,
      reason: 'live Auth0 tenant not configured (set DUAL_AUTH_LIVE_AUTH0_*, see docs/live-tests.md)',
    });
  });

  it('reads a hybrid tenant with its defaults: client_secret_basic, a synthetic human, no refused humans', () => {
    const reading = readLiveTenant('okta', okta);
    if (!reading.configured) throw new Error(reading.reason);
    expect(reading.tenant).toMatchObject({
      vendor: 'okta',
      label: 'Okta',
      mode: 'hybrid',
      authMethod: 'client_secret_basic',
      issuer: 'https://example.okta.com/oauth2/aus1',
      audience: 'api://finance',
      scope: ['finance.read', 'finance.write'],
      agent: { clientId: '0oa-agent' },
      rogueAgent: { clientId: '0oa-rogue' },
      approvedHuman: 'live-test-human',
      refusedHumans: [],
      agentRole: undefined,
    });
    expect(reading.tenant.agent.clientSecret?.reveal()).toBe(secret);
  });

  it('reads an agbac tenant with key files instead of secrets, and the default agent role', () => {
    const reading = readLiveTenant('keycloak', keycloak);
    if (!reading.configured) throw new Error(reading.reason);
    expect(reading.tenant).toMatchObject({
      mode: 'agbac',
      authMethod: 'private_key_jwt',
      agent: { clientId: 'finance-agent', privateKeyPath: '/secrets/agent.pem' },
      approvedHuman: 'f1d2-alice',
      refusedHumans: ['b0b-bob', 'ca401-carol'],
      agentRole: 'dual-auth-agent',
      actClaim: 'act',
    });
    expect(reading.tenant.agent.clientSecret).toBeUndefined();
  });

  it('names every missing variable of a partial set, and only those', () => {
    const error = configurationError(() =>
      readLiveTenant('keycloak', {
        DUAL_AUTH_LIVE_KEYCLOAK_ISSUER: keycloak.DUAL_AUTH_LIVE_KEYCLOAK_ISSUER,
        DUAL_AUTH_LIVE_KEYCLOAK_AGENT_CLIENT_ID: 'finance-agent',
      }),
    );
    expect(error.message).toBe(
      'live Keycloak tenant partly configured: missing DUAL_AUTH_LIVE_KEYCLOAK_AUDIENCE, ' +
        'DUAL_AUTH_LIVE_KEYCLOAK_AGENT_CLIENT_SECRET, DUAL_AUTH_LIVE_KEYCLOAK_ROGUE_CLIENT_ID, ' +
        'DUAL_AUTH_LIVE_KEYCLOAK_ROGUE_CLIENT_SECRET, DUAL_AUTH_LIVE_KEYCLOAK_APPROVED_HUMAN, ' +
        'DUAL_AUTH_LIVE_KEYCLOAK_REFUSED_HUMANS (see docs/live-tests.md).',
    );
    expect(error.setting).toBe('DUAL_AUTH_LIVE_KEYCLOAK_AUDIENCE');
  });

  it('asks for the key files, not the secrets, with private_key_jwt', () => {
    const { DUAL_AUTH_LIVE_KEYCLOAK_ROGUE_PRIVATE_KEY_PATH: _, ...withoutRogueKey } = keycloak;
    expect(configurationError(() => readLiveTenant('keycloak', withoutRogueKey)).message).toContain(
      'missing DUAL_AUTH_LIVE_KEYCLOAK_ROGUE_PRIVATE_KEY_PATH (',
    );
  });

  it('requires the scope for Entra ID ({API identifier URI}/.default)', () => {
    const entra = Object.fromEntries(
      Object.entries(okta)
        .filter(([name]) => !name.endsWith('_SCOPE'))
        .map(([name, value]) => [name.replace('_OKTA_', '_ENTRAID_'), value]),
    );
    expect(configurationError(() => readLiveTenant('entraid', entra)).setting).toBe(
      'DUAL_AUTH_LIVE_ENTRAID_SCOPE',
    );
  });

  it.each([
    ['an unknown variable (a typo)', { DUAL_AUTH_LIVE_OKTA_AUDIANCE: 'x' }, 'DUAL_AUTH_LIVE_OKTA_AUDIANCE'],
    [
      'an http issuer',
      { DUAL_AUTH_LIVE_OKTA_ISSUER: 'http://example.okta.com' },
      'DUAL_AUTH_LIVE_OKTA_ISSUER',
    ],
    [
      'an issuer with credentials',
      { DUAL_AUTH_LIVE_OKTA_ISSUER: `https://admin:${secret}@example.okta.com` },
      'DUAL_AUTH_LIVE_OKTA_ISSUER',
    ],
    [
      'a client authentication the vendor lacks',
      { DUAL_AUTH_LIVE_OKTA_AUTH_METHOD: 'mtls' },
      'DUAL_AUTH_LIVE_OKTA_AUTH_METHOD',
    ],
    [
      'the same client twice',
      { DUAL_AUTH_LIVE_OKTA_ROGUE_CLIENT_ID: '0oa-agent' },
      'DUAL_AUTH_LIVE_OKTA_ROGUE_CLIENT_ID',
    ],
    [
      'a malformed certificate thumbprint',
      { DUAL_AUTH_LIVE_OKTA_AGENT_CERTIFICATE_THUMBPRINT: secret },
      'DUAL_AUTH_LIVE_OKTA_AGENT_CERTIFICATE_THUMBPRINT',
    ],
  ])('refuses %s, naming the variable', (_, overrides, setting) => {
    expect(configurationError(() => readLiveTenant('okta', { ...okta, ...overrides })).setting).toBe(setting);
  });

  it('refuses an approved human listed among the refused ones', () => {
    const error = configurationError(() =>
      readLiveTenant('keycloak', { ...keycloak, DUAL_AUTH_LIVE_KEYCLOAK_REFUSED_HUMANS: 'f1d2-alice' }),
    );
    expect(error.setting).toBe('DUAL_AUTH_LIVE_KEYCLOAK_REFUSED_HUMANS');
  });

  it('never shows a secret value: not in errors, not in the tenant it returns', () => {
    const errors = [
      configurationError(() => readLiveTenant('okta', { ...okta, DUAL_AUTH_LIVE_OKTA_AUDIENCE: '' })),
      configurationError(() =>
        readLiveTenant('okta', { ...okta, DUAL_AUTH_LIVE_OKTA_AGENT_CERTIFICATE_THUMBPRINT: secret }),
      ),
      configurationError(() =>
        readLiveTenant('okta', { ...okta, DUAL_AUTH_LIVE_OKTA_ISSUER: `https://a:${secret}@x.test` }),
      ),
    ];
    const reading = readLiveTenant('okta', okta);
    const outputs = [
      ...errors.flatMap((error) => [String(error), JSON.stringify(error), inspect(error, { depth: 6 })]),
      JSON.stringify(reading),
      inspect(reading, { depth: 6 }),
    ].join('\n');
    expect(outputs).not.toContain(secret);
  });

  it('documents a description for every variable, and marks the secrets', () => {
    for (const vendor of ['keycloak', 'auth0', 'okta', 'entraid'] as const) {
      const variables = liveTenantVariables(vendor);
      expect(variables.every((variable) => variable.description.length > 0)).toBe(true);
      expect(variables.filter((variable) => variable.secret).map((variable) => variable.name)).toEqual([
        `DUAL_AUTH_LIVE_${vendor.toUpperCase()}_AGENT_CLIENT_SECRET`,
        `DUAL_AUTH_LIVE_${vendor.toUpperCase()}_ROGUE_CLIENT_SECRET`,
      ]);
    }
  });
});
