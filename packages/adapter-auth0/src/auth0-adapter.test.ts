import { ConfigurationError, type DualAuthConfig, Secret, TokenRequestError } from '@dual-auth/core';
import { testConfig } from '@dual-auth/testkit';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { Auth0Adapter, vendorDefinition } from './index.ts';

const tokenUrl = 'https://tenant.eu.auth0.com/oauth/token';
const act = { sub: 'auth0|64f1c2d3e4', email: 'alice@example.com' };

function configFor(overrides: Partial<DualAuthConfig> = {}): DualAuthConfig {
  return testConfig({
    vendor: 'auth0',
    tokenUrl,
    clientId: 'm2m-client',
    clientSecret: new Secret('auth0-client-secret'),
    audience: 'https://api.example.com/finance',
    scope: ['finance.read'],
    ...overrides,
  });
}

function recordingFetch(requests: RequestInit[]): typeof fetch {
  return async (_input, init) => {
    requests.push(init ?? {});
    return Response.json({ access_token: 'at', token_type: 'Bearer', expires_in: 86400 });
  };
}

describe('Auth0Adapter', () => {
  it('sends audience and hands the human to the Action as body parameters', async () => {
    const requests: RequestInit[] = [];
    const adapter = new Auth0Adapter(configFor(), { fetch: recordingFetch(requests) });
    await adapter.requestToken({ agentId: 'm2m-client', act });
    const body = new URLSearchParams(String(requests[0]?.body));
    expect(Object.fromEntries(body)).toEqual({
      grant_type: 'client_credentials',
      audience: 'https://api.example.com/finance',
      scope: 'finance.read',
      act: JSON.stringify({ sub: act.sub }),
      delegation: expect.stringMatching(/^\{"method":"explicit","granted_at":\d+\}$/),
      agbac_ver: '1.0',
      client_id: 'm2m-client',
      client_secret: 'auth0-client-secret',
    });
  });

  it('hands the Action the email only when DUAL_AUTH_ACT_DISPLAY_CLAIMS (actDisplayClaims) allows it', async () => {
    const requests: RequestInit[] = [];
    const fetch = recordingFetch(requests);
    await new Auth0Adapter(configFor(), { fetch }).requestToken({ agentId: 'm2m-client', act });
    await new Auth0Adapter(configFor({ actDisplayClaims: ['email'] }), { fetch }).requestToken({
      agentId: 'm2m-client',
      act,
    });
    await new Auth0Adapter(configFor({ actDisplayClaims: ['email'] }), {
      fetch,
      actDisplayClaims: [],
    }).requestToken({ agentId: 'm2m-client', act });
    const sent = requests.map((request) => String(request.body));
    expect(sent[0]).not.toContain(encodeURIComponent(act.email));
    expect(new URLSearchParams(sent[1]).get('act')).toBe(JSON.stringify(act));
    expect(sent[2]).not.toContain(encodeURIComponent(act.email));
  });

  it('can send JSON, as Auth0 documents', async () => {
    const requests: RequestInit[] = [];
    const adapter = new Auth0Adapter(configFor(), { fetch: recordingFetch(requests), bodyEncoding: 'json' });
    await adapter.requestToken({ agentId: 'm2m-client', act });
    expect(new Headers(requests[0]?.headers).get('content-type')).toBe('application/json');
    expect(JSON.parse(String(requests[0]?.body))).toMatchObject({
      audience: 'https://api.example.com/finance',
    });
  });

  it('signs private_key_jwt for the tenant issuer, with its trailing slash', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const requests: RequestInit[] = [];
    const adapter = new Auth0Adapter(configFor({ clientSecret: undefined }), {
      fetch: recordingFetch(requests),
      privateKey: { key: await exportJWK(privateKey), alg: 'ES256', kid: 'agent-key-1' },
    });
    expect(adapter.authMethod).toBe('private_key_jwt');
    await adapter.requestToken({ agentId: 'm2m-client', act });
    const assertion = new URLSearchParams(String(requests[0]?.body)).get('client_assertion') ?? '';
    expect(decodeJwt(assertion)).toMatchObject({ aud: 'https://tenant.eu.auth0.com/', iss: 'm2m-client' });
    expect(decodeProtectedHeader(assertion).kid).toBe('agent-key-1');
  });

  it('refuses client_secret_jwt, which Auth0 does not support', () => {
    expect(() => new Auth0Adapter(configFor(), { authMethod: 'client_secret_jwt' })).toThrow(TypeError);
    expect(
      () => new Auth0Adapter(configFor({ settings: { AGENT_AUTH_METHOD: 'client_secret_jwt' } })),
    ).toThrow(expect.objectContaining({ setting: 'AGENT_AUTH_METHOD' }));
  });

  it('derives the delegation and version claims from the act claim namespace', () => {
    expect(new Auth0Adapter(configFor()).claimNames).toEqual({
      act: 'https://dual-auth.dev/act',
      delegation: 'https://dual-auth.dev/delegation',
      agbacVersion: 'https://dual-auth.dev/agbac_ver',
    });
    const custom = new Auth0Adapter(
      configFor({ settings: { AUTH0_ACT_CLAIM: 'https://example.com/agbac/act' } }),
    );
    expect(custom.claimNames.delegation).toBe('https://example.com/agbac/delegation');
    for (const claim of ['act', 'https://example.com/human', 'urn:example:act']) {
      expect(() => new Auth0Adapter(configFor({ settings: { AUTH0_ACT_CLAIM: claim } }))).toThrow(
        expect.objectContaining({ setting: 'AUTH0_ACT_CLAIM' }),
      );
    }
  });

  it('requires API_AUDIENCE', () => {
    expect(() => new Auth0Adapter(configFor({ audience: undefined }))).toThrow(ConfigurationError);
    expect(vendorDefinition.settings.find((setting) => setting.key === 'API_AUDIENCE')?.required).toBe(true);
  });

  it('refuses a bad body encoding with a TypeError', () => {
    expect(() => new Auth0Adapter(configFor(), { bodyEncoding: 'xml' as 'json' })).toThrow(TypeError);
  });

  // Auth0 answers the Action's api.access.deny('invalid_request', reason) with HTTP 400
  // {error: 'invalid_request', error_description: reason} (testkit idp/vendors/auth0.ts).
  it.each([
    ['client is not an approved agent (missing client metadata dual_auth_agent=true)', 'agent_not_approved'],
    ['user auth0|bob lacks the role FinanceUser', 'human_not_approved'],
    ['user auth0|carol has not approved agent m2m-client', 'human_not_approved'],
    ['user auth0|nobody does not exist', 'human_not_approved'],
    ['a subject that looks like an email does not exist', 'human_not_approved'],
    ['act must be a JSON object with a sub', undefined],
  ] as const)('names the Action denial "%s" as vendorCode %s', async (reason, vendorCode) => {
    const fetch: typeof globalThis.fetch = async () =>
      Response.json({ error: 'invalid_request', error_description: reason }, { status: 400 });
    const error = await new Auth0Adapter(configFor(), { fetch })
      .requestToken({ agentId: 'm2m-client', act })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({ status: 400, oauthError: 'invalid_request', vendorCode });
    expect(String((error as Error).message)).toContain(reason);
  });

  it('leaves other refusals as Auth0 sent them', async () => {
    const fetch: typeof globalThis.fetch = async () =>
      Response.json(
        { error: 'access_denied', error_description: 'Client has not been granted scopes: x' },
        { status: 403 },
      );
    const error = await new Auth0Adapter(configFor(), { fetch })
      .requestToken({ agentId: 'm2m-client', act })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 403, oauthError: 'access_denied', vendorCode: undefined });
  });
});
