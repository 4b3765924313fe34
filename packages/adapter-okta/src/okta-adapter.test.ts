import { ConfigurationError, type DualAuthConfig, Secret } from '@dual-auth/core';
import { testConfig } from '@dual-auth/testkit';
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { OktaAdapter, vendorDefinition } from './index.ts';

const tokenUrl = 'https://dev-123.okta.com/oauth2/aus123abc/v1/token';
const secret = 'okta-client-secret-0123456789abcdef0123';
const act = { sub: '00u1a2b3c4d5e6f7g8' };
const signActAssertion = async () => 'act-assertion';

function configFor(overrides: Partial<DualAuthConfig> = {}): DualAuthConfig {
  return testConfig({
    vendor: 'okta',
    tokenUrl,
    clientId: '0oa-agent',
    clientSecret: new Secret(secret),
    audience: 'https://api.example.com/finance',
    scope: ['finance.read'],
    appId: 'https://app.example.com',
    ...overrides,
  });
}

describe('OktaAdapter', () => {
  it('defaults to hybrid with client_secret_basic', () => {
    expect(new OktaAdapter(configFor(), { signActAssertion })).toMatchObject({
      vendor: 'okta',
      mode: 'hybrid',
      authMethod: 'client_secret_basic',
      audience: 'https://api.example.com/finance',
    });
  });

  it('refuses agbac mode, explaining why', () => {
    expect(() => new OktaAdapter(configFor(), { signActAssertion, mode: 'agbac' })).toThrow(
      /options\.mode cannot be agbac with okta: Okta cannot copy request-time data/,
    );
    expect(
      () => new OktaAdapter(configFor({ settings: { DUAL_AUTH_MODE: 'agbac' } }), { signActAssertion }),
    ).toThrow(ConfigurationError);
  });

  it('needs a signer and a scope', async () => {
    expect(() => new OktaAdapter(configFor())).toThrow('hybrid mode needs options.signActAssertion');
    const adapter = new OktaAdapter(configFor(), { signActAssertion });
    await expect(adapter.requestToken({ agentId: '0oa-agent', act, scope: [] })).rejects.toThrow(
      'Okta needs a scope',
    );
  });

  it('refuses a missing or empty API_SCOPE at construction with a ConfigurationError naming it', () => {
    for (const scope of [undefined, []]) {
      const attempt = () => new OktaAdapter(configFor({ scope }), { signActAssertion });
      expect(attempt).toThrow(ConfigurationError);
      expect(attempt).toThrow(expect.objectContaining({ setting: 'API_SCOPE' }));
    }
  });

  it('addresses client_secret_jwt to the exact token URL', async () => {
    let body = new URLSearchParams();
    const adapter = new OktaAdapter(configFor(), {
      signActAssertion,
      authMethod: 'client_secret_jwt',
      fetch: async (_input, init) => {
        body = new URLSearchParams(String(init?.body));
        return Response.json({ access_token: 'at', token_type: 'Bearer', expires_in: 3600 });
      },
    });
    const tokenResponse = await adapter.requestToken({ agentId: '0oa-agent', act });
    expect(tokenResponse.actAssertion).toBe('act-assertion');
    expect(body.get('scope')).toBe('finance.read');
    await expect(
      jwtVerify(body.get('client_assertion') ?? '', new TextEncoder().encode(secret), { audience: tokenUrl }),
    ).resolves.toBeDefined();
  });

  it("maps Okta's own error shape to a vendor code", async () => {
    const adapter = new OktaAdapter(configFor(), {
      signActAssertion,
      fetch: async () =>
        Response.json(
          {
            errorCode: 'E0000011',
            errorSummary: 'Invalid token provided',
            errorLink: 'E0000011',
            errorId: 'x',
          },
          { status: 401 },
        ),
    });
    await expect(adapter.requestToken({ agentId: '0oa-agent', act })).rejects.toMatchObject({
      code: 'ERR_TOKEN_REQUEST',
      status: 401,
      vendorCode: 'E0000011',
    });
  });

  it('requires API_SCOPE and API_AUDIENCE in getConfig()', () => {
    const required = vendorDefinition.settings
      .filter((setting) => setting.required)
      .map((setting) => setting.key);
    expect(required).toEqual(['OKTA_TOKEN_URL', 'API_SCOPE', 'API_AUDIENCE', 'AGENT_CLIENT_ID']);
  });
});
