import { ConfigurationError, type DualAuthConfig, Secret } from '@dual-auth/core';
import { testConfig } from '@dual-auth/testkit';
import { decodeJwt, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { KeycloakAdapter, vendorDefinition } from './index.ts';

const tokenUrl = 'https://sso.example.com/realms/prod/protocol/openid-connect/token';
const secret = 'keycloak-client-secret-0123456789abcdef';
const act = { sub: '5b8f3c2a-1d4e-4f6a-9b7c-0e1d2f3a4b5c' };

function configFor(overrides: Partial<DualAuthConfig> = {}): DualAuthConfig {
  return testConfig({
    vendor: 'keycloak',
    tokenUrl,
    clientId: 'finance-agent',
    clientSecret: new Secret(secret),
    ...overrides,
  });
}

function recordingFetch(bodies: URLSearchParams[]): typeof fetch {
  return async (_input, init) => {
    bodies.push(new URLSearchParams(String(init?.body)));
    return Response.json({ access_token: 'at', token_type: 'Bearer', expires_in: 300 });
  };
}

describe('KeycloakAdapter', () => {
  it('derives the realm issuer and defaults to agbac with client_secret_jwt', () => {
    const adapter = new KeycloakAdapter(configFor());
    expect(adapter).toMatchObject({
      vendor: 'keycloak',
      mode: 'agbac',
      authMethod: 'client_secret_jwt',
      issuer: 'https://sso.example.com/realms/prod',
      tokenEndpoint: tokenUrl,
    });
  });

  it('carries act, delegation and agbac_ver in an HS256 assertion for the realm issuer', async () => {
    const bodies: URLSearchParams[] = [];
    const now = Date.parse('2026-11-23T10:00:00Z');
    const adapter = new KeycloakAdapter(configFor({ scope: ['finance.read'] }), {
      fetch: recordingFetch(bodies),
      clock: () => now,
    });
    const delegation = { method: 'implicit', grantedAt: now / 1000 - 5, intentSummary: 'Q4 report' } as const;
    await adapter.requestToken({ agentId: 'finance-agent', act, delegation });
    const [body] = bodies;
    expect(body?.get('grant_type')).toBe('client_credentials');
    expect(body?.get('client_id')).toBe('finance-agent');
    expect(body?.get('scope')).toBe('finance.read');
    expect(body?.get('client_secret')).toBeNull();
    const { payload } = await jwtVerify(
      body?.get('client_assertion') ?? '',
      new TextEncoder().encode(secret),
      {
        algorithms: ['HS256'],
        issuer: 'finance-agent',
        subject: 'finance-agent',
        audience: 'https://sso.example.com/realms/prod',
        currentDate: new Date(now),
      },
    );
    expect(payload).toMatchObject({
      act,
      delegation: { method: 'implicit', granted_at: now / 1000 - 5, intent_summary: 'Q4 report' },
      agbac_ver: '1.0',
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(60);
  });

  it('defaults the delegation to explicit, granted now, and never reuses a jti', async () => {
    const bodies: URLSearchParams[] = [];
    const adapter = new KeycloakAdapter(configFor(), { fetch: recordingFetch(bodies) });
    await adapter.requestToken({ agentId: 'finance-agent', act });
    await adapter.requestToken({ agentId: 'finance-agent', act });
    const [first, second] = bodies.map((body) => decodeJwt(body.get('client_assertion') ?? ''));
    expect(first?.delegation).toEqual({ method: 'explicit', granted_at: expect.any(Number) });
    expect(first?.jti).not.toBe(second?.jti);
  });

  it('sends no act in hybrid mode and allows secret basic/post there only', async () => {
    const bodies: URLSearchParams[] = [];
    const adapter = new KeycloakAdapter(configFor({ audience: 'https://api.example.com' }), {
      mode: 'hybrid',
      authMethod: 'client_secret_post',
      signActAssertion: async () => 'assertion',
      fetch: recordingFetch(bodies),
    });
    const tokenResponse = await adapter.requestToken({ agentId: 'finance-agent', act });
    expect(tokenResponse.actAssertion).toBe('assertion');
    expect(bodies[0]?.get('client_secret')).toBe(secret);
    expect(bodies[0]?.has('act')).toBe(false);
    expect(() => new KeycloakAdapter(configFor(), { authMethod: 'client_secret_basic' })).toThrow(
      'client_secret_basic is not accepted by keycloak in agbac mode',
    );
  });

  it('refuses misuse with a TypeError', () => {
    expect(() => new KeycloakAdapter(configFor({ audience: 'https://api' }), { mode: 'hybrid' })).toThrow(
      TypeError,
    );
    expect(() => new KeycloakAdapter(configFor(), { authMethod: 'private_key_jwt' })).toThrow(
      'private_key_jwt needs options.privateKey or the AGENT_PRIVATE_KEY_PATH setting',
    );
    expect(() => new KeycloakAdapter(configFor(), { retry: { limit: 99 } })).toThrow(TypeError);
  });

  it.each([
    [{ tokenUrl: 'https://sso.example.com/realms/prod/token' }, 'KEYCLOAK_TOKEN_URL'],
    [{ tokenUrl: 'http://sso.example.com/realms/prod/protocol/openid-connect/token' }, 'KEYCLOAK_TOKEN_URL'],
    [{ clientSecret: undefined }, 'AGENT_CLIENT_SECRET'],
    [{ settings: { DUAL_AUTH_MODE: 'hybrid' } }, 'API_AUDIENCE'],
  ] as const)('refuses bad settings with a ConfigurationError (%j)', (overrides, setting) => {
    const options = { signActAssertion: async () => 'assertion' };
    expect(() => new KeycloakAdapter(configFor(overrides), options)).toThrow(ConfigurationError);
    expect(() => new KeycloakAdapter(configFor(overrides), options)).toThrow(
      expect.objectContaining({ setting }),
    );
  });

  it('accepts loopback http only with the explicit opt-in', () => {
    const loopback = 'http://127.0.0.1:8080/realms/dev/protocol/openid-connect/token';
    expect(() => new KeycloakAdapter(configFor({ tokenUrl: loopback }))).toThrow(ConfigurationError);
    expect(() => new KeycloakAdapter(configFor({ tokenUrl: loopback }))).toThrow(
      'KEYCLOAK_TOKEN_URL is refused: https is required; for loopback tests set DUAL_AUTH_ALLOW_INSECURE_LOOPBACK=true (or allowInsecureLoopback: true).',
    );
    const remote = 'http://sso.example.com/realms/dev/protocol/openid-connect/token';
    expect(() => new KeycloakAdapter(configFor({ tokenUrl: remote, allowInsecureLoopback: true }))).toThrow(
      /KEYCLOAK_TOKEN_URL must use https, not http: http is accepted only on a loopback host/,
    );
    expect(new KeycloakAdapter(configFor({ tokenUrl: loopback, allowInsecureLoopback: true })).issuer).toBe(
      'http://127.0.0.1:8080/realms/dev',
    );
  });

  it('declares the seed settings for getConfig()', () => {
    expect(vendorDefinition.vendor).toBe('keycloak');
    expect(vendorDefinition.settings.map((setting) => [setting.key, setting.required])).toEqual([
      ['KEYCLOAK_TOKEN_URL', true],
      ['AGENT_CLIENT_ID', true],
      ['AGENT_CLIENT_SECRET', false],
      ['DUAL_AUTH_MODE', false],
      ['AGENT_AUTH_METHOD', false],
      ['AGENT_PRIVATE_KEY_PATH', false],
      ['AGENT_PRIVATE_KEY_ALG', false],
      ['AGENT_PRIVATE_KEY_ID', false],
      ['AGENT_CERTIFICATE_THUMBPRINT', false],
    ]);
  });
});
