import { inspect } from 'node:util';
import { ConfigurationError, type DualAuthConfig, Secret, TokenRequestError } from '@dual-auth/core';
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

// Exchange mode: Entra's on-behalf-of request
// (learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow).
describe('EntraIDAdapter in exchange mode', () => {
  const subjectToken = 'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJiMWMyZDNlNC1hcHAtaWQifQ.dXNlci1hc3NlcnRpb24';

  it('takes DUAL_AUTH_MODE=exchange, needs no signActAssertion, and defaults to client_secret_post', () => {
    const config = configFor();
    const adapter = new EntraIDAdapter({
      ...config,
      settings: { ...config.settings, DUAL_AUTH_MODE: 'exchange' },
    });
    expect(adapter).toMatchObject({
      mode: 'exchange',
      authMethod: 'client_secret_post',
      audience: apiClientId,
    });
  });

  it('takes delegated scopes of one API in exchange mode only', () => {
    const scope = ['api://finance/finance.read', 'api://finance/finance.write'];
    expect(new EntraIDAdapter(configFor({ scope }), { mode: 'exchange' }).mode).toBe('exchange');
    expect(() => new EntraIDAdapter(configFor({ scope }), { signActAssertion })).toThrow(
      expect.objectContaining({ setting: 'API_SCOPE' }),
    );
    for (const bad of [
      ['api://finance/finance.read', 'api://payroll/payroll.read'],
      ['api://finance/.default', 'api://finance/finance.read'],
      ['finance.read'],
    ]) {
      expect(() => new EntraIDAdapter(configFor({ scope: bad }), { mode: 'exchange' })).toThrow(
        expect.objectContaining({ setting: 'API_SCOPE' }),
      );
    }
  });

  it('sends the certificate assertion beside the user assertion, and no client secret', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    let body = new URLSearchParams();
    const adapter = new EntraIDAdapter(configFor({ clientSecret: undefined }), {
      mode: 'exchange',
      privateKey: { key: await exportJWK(privateKey), alg: 'RS256', x5tS256: 'cert-thumbprint' },
      fetch: async (_input, init) => {
        body = new URLSearchParams(String(init?.body));
        return Response.json({
          token_type: 'Bearer',
          scope: 'api://finance/finance.read',
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: 'obo',
        });
      },
    });
    const tokenResponse = await adapter.requestToken({
      agentId: 'b1c2d3e4-app-id',
      act,
      subjectToken: new Secret(subjectToken),
    });
    expect(tokenResponse.accessToken).toBe('obo');
    expect(tokenResponse.actAssertion).toBeUndefined();
    expect([...body.keys()].sort()).toEqual([
      'assertion',
      'client_assertion',
      'client_assertion_type',
      'client_id',
      'grant_type',
      'requested_token_use',
      'scope',
    ]);
    expect(body.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(body.get('assertion')).toBe(subjectToken);
    expect(body.get('requested_token_use')).toBe('on_behalf_of');
    expect(decodeJwt(body.get('client_assertion') ?? '').aud).toBe(tokenUrl);
  });

  it('maps interaction_required (the page’s AADSTS50079 example, with its claims challenge) once, unretried', async () => {
    let calls = 0;
    const adapter = new EntraIDAdapter(configFor(), {
      mode: 'exchange',
      fetch: async () => {
        calls += 1;
        // The error response example of v2-oauth2-on-behalf-of-flow, verbatim but for the ids.
        return Response.json(
          {
            error: 'interaction_required',
            error_description:
              "AADSTS50079: Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multifactor authentication to access 'bf8d80f9-9098-4972-b203-500f535113b1'.\r\nTrace ID: b72a68c3-0926-4b8e-bc35-3150069c2800\r\nCorrelation ID: 73d656cf-54b1-4eb2-b429-26d8165a52d7\r\nTimestamp: 2017-05-01 22:43:20Z",
            error_codes: [50079],
            timestamp: '2017-05-01 22:43:20Z',
            trace_id: 'b72a68c3-0926-4b8e-bc35-3150069c2800',
            correlation_id: '73d656cf-54b1-4eb2-b429-26d8165a52d7',
            claims:
              '{"access_token":{"polids":{"essential":true,"values":["9ab03e19-ed42-4168-b6b7-7001fb3e933a"]}}}',
          },
          { status: 400 },
        );
      },
    });
    const error = await adapter
      .requestToken({ agentId: 'b1c2d3e4-app-id', act, subjectToken: new Secret(subjectToken) })
      .catch((caught: unknown) => caught);
    expect(calls).toBe(1);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({
      status: 400,
      oauthError: 'interaction_required',
      vendorCode: 'AADSTS50079',
    });
    expect((error as Error).message).toMatch(/Fix: interaction_required: the human must register/);
    expect((error as Error).message).toContain('claimsChallenge as the `claims` parameter');
    expect((error as TokenRequestError).claimsChallenge).toBe(
      '{"access_token":{"polids":{"essential":true,"values":["9ab03e19-ed42-4168-b6b7-7001fb3e933a"]}}}',
    );
    const serialized = [String(error), JSON.stringify(error), inspect(error, { depth: 5 })].join('\n');
    expect(serialized).not.toContain(subjectToken);
    expect(serialized).not.toContain('9ab03e19-ed42-4168-b6b7-7001fb3e933a');
  });

  it('keeps consent_required as subError and names the admin consent URL', async () => {
    const adapter = new EntraIDAdapter(configFor(), {
      mode: 'exchange',
      // MSAL's InteractionRequiredAuthError lists `consent_required` among Entra's suberrors.
      fetch: async () =>
        Response.json(
          { error: 'invalid_grant', error_codes: [65001], suberror: 'consent_required' },
          { status: 400 },
        ),
    });
    const error = await adapter
      .requestToken({ agentId: 'b1c2d3e4-app-id', act, subjectToken: new Secret(subjectToken) })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      oauthError: 'invalid_grant',
      vendorCode: 'AADSTS65001',
      subError: 'consent_required',
    });
    expect((error as Error).message).toContain('/v2.0/adminconsent?client_id={agent app id}');
  });

  it('leaves a refusal without a known fix as core words it', async () => {
    const adapter = new EntraIDAdapter(configFor(), {
      mode: 'exchange',
      fetch: async () =>
        Response.json(
          {
            error: 'invalid_client',
            error_description: 'AADSTS7000215: Invalid client secret provided.',
            error_codes: [7000215],
          },
          { status: 401 },
        ),
    });
    const error = await adapter
      .requestToken({ agentId: 'b1c2d3e4-app-id', act, subjectToken: new Secret(subjectToken) })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 401, vendorCode: 'AADSTS7000215' });
    expect((error as Error).message).not.toContain('Fix:');
  });
});
