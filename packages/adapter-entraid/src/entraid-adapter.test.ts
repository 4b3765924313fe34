import { ConfigurationError, type DualAuthConfig, Secret } from '@dual-auth/core';
import { testConfig } from '@dual-auth/testkit';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { EntraIDAdapter, vendorDefinition } from './index.ts';

const tokenUrl = 'https://login.microsoftonline.com/7a3e5c1d-4b2f-4e8a-9c6d-2f1e0b9a8c7d/oauth2/v2.0/token';
const act = { sub: '3f0c8a1e-2b4d-4c6e-8f0a-1b2c3d4e5f60', oid: '3f0c8a1e-2b4d-4c6e-8f0a-1b2c3d4e5f60' };
const signActAssertion = async () => 'act-assertion';
// The API app's Application (client) ID: the aud of Entra v2 tokens, whatever the scope's URI
// (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference, aud).
const apiClientId = '0f1e2d3c-4b5a-4697-8877-665544332211';

function configFor(overrides: Partial<DualAuthConfig> = {}): DualAuthConfig {
  return testConfig({
    vendor: 'entraid',
    tokenUrl,
    clientId: 'b1c2d3e4-app-id',
    clientSecret: new Secret('entra-client-secret'),
    scope: ['api://finance/.default'],
    audience: apiClientId,
    appId: 'https://app.example.com',
    ...overrides,
  });
}

describe('EntraIDAdapter', () => {
  it('defaults to hybrid, client_secret_post, and API_AUDIENCE as the act assertion audience', () => {
    expect(new EntraIDAdapter(configFor(), { signActAssertion })).toMatchObject({
      vendor: 'entraid',
      mode: 'hybrid',
      authMethod: 'client_secret_post',
      audience: apiClientId,
    });
  });

  it('takes the audience from a {client id}/.default scope', () => {
    const config = configFor({ audience: undefined, scope: [`${apiClientId}/.default`] });
    expect(new EntraIDAdapter(config, { signActAssertion }).audience).toBe(apiClientId);
  });

  it('requires API_AUDIENCE (the client id) when API_SCOPE names an Application ID URI', () => {
    const build = () => new EntraIDAdapter(configFor({ audience: undefined }), { signActAssertion });
    expect(build).toThrow(expect.objectContaining({ setting: 'API_AUDIENCE' }));
    expect(build).toThrow(/Application \(client\) ID/);
  });

  it.each([[['api://finance']], [['api://finance/.default', 'openid']], [['/.default']]])(
    'refuses API_SCOPE %j',
    (scope) => {
      expect(() => new EntraIDAdapter(configFor({ scope }), { signActAssertion })).toThrow(
        expect.objectContaining({ setting: 'API_SCOPE' }),
      );
    },
  );

  it('refuses agbac mode and client_secret_jwt', () => {
    expect(() => new EntraIDAdapter(configFor(), { signActAssertion, mode: 'agbac' })).toThrow(
      /Entra ID adds no request-time claims/,
    );
    expect(
      () => new EntraIDAdapter(configFor(), { signActAssertion, authMethod: 'client_secret_jwt' }),
    ).toThrow(TypeError);
    expect(() => new EntraIDAdapter(configFor())).toThrow(TypeError);
    expect(() => new EntraIDAdapter(configFor({ clientSecret: undefined }), { signActAssertion })).toThrow(
      ConfigurationError,
    );
  });

  it('sends a certificate assertion with x5t#S256, addressed to the token URL', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    let body = new URLSearchParams();
    const adapter = new EntraIDAdapter(configFor({ clientSecret: undefined }), {
      signActAssertion,
      privateKey: { key: await exportJWK(privateKey), alg: 'RS256', x5tS256: 'cert-thumbprint' },
      fetch: async (_input, init) => {
        body = new URLSearchParams(String(init?.body));
        return Response.json({
          token_type: 'Bearer',
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: 'at',
        });
      },
    });
    const tokenResponse = await adapter.requestToken({ agentId: 'b1c2d3e4-app-id', act });
    expect(tokenResponse.actAssertion).toBe('act-assertion');
    expect(body.get('scope')).toBe('api://finance/.default');
    const assertion = body.get('client_assertion') ?? '';
    expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'RS256', 'x5t#S256': 'cert-thumbprint' });
    expect(decodeJwt(assertion).aud).toBe(tokenUrl);
  });

  it('refuses a per-request scope that is not {resource}/.default', async () => {
    const adapter = new EntraIDAdapter(configFor(), { signActAssertion });
    await expect(
      adapter.requestToken({ agentId: 'b1c2d3e4-app-id', act, scope: ['finance.read'] }),
    ).rejects.toThrow(TypeError);
  });

  it('requires ENTRAID_TOKEN_URL and API_SCOPE in getConfig()', () => {
    const required = vendorDefinition.settings
      .filter((setting) => setting.required)
      .map((setting) => setting.key);
    expect(required).toEqual(['ENTRAID_TOKEN_URL', 'API_SCOPE', 'AGENT_CLIENT_ID']);
  });
});
