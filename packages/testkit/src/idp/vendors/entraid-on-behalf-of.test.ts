// The Entra ID profile's on-behalf-of flow against Microsoft's documented wire, with plain fetch and
// jose. Sources:
// - obo: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow
//   (request parameters, "Middle-tier access token response")
// - error codes: https://learn.microsoft.com/entra/identity-platform/reference-error-codes (the
//   error body: error, error_description "AADSTSnnnn: …", error_codes, timestamp, trace_id,
//   correlation_id, error_uri; AADSTS900144, 65001)
// - MSAL: lib/msal-node/src/client/OnBehalfOfClient.ts (openid profile offline_access beside the
//   API scope) and lib/msal-common/src/error/InteractionRequiredAuthError.ts (suberror
//   consent_required)
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { entraExchangeWebClients, requestEntraHumanToken } from '../../entraid/entraid-human-token.ts';
import type { IdpProfile } from '../types.ts';
import { useEmbeddedIdp } from '../use-embedded-idp.ts';

const idp = useEmbeddedIdp({ vendors: ['entraid'], webClients: entraExchangeWebClients() });
let entra: IdpProfile;
beforeAll(() => {
  entra = idp.profile('entraid');
});

function secretOf(clientId: string): string {
  const agent = entra.agents.find((candidate) => candidate.clientId === clientId);
  if (agent === undefined) throw new Error(`no fixture agent ${clientId}`);
  return agent.clientSecret;
}

async function onBehalfOf(fields: Record<string, string | undefined>, clientId = 'finance-agent') {
  const body = new URLSearchParams({ client_id: clientId, client_secret: secretOf(clientId) });
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) body.set(name, value);
  const response = await fetch(entra.tokenEndpoint, { method: 'POST', body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function request(assertion: string, overrides: Record<string, string | undefined> = {}) {
  return {
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    assertion,
    requested_token_use: 'on_behalf_of',
    scope: 'https://api.dual-auth.test/finance/.default openid profile offline_access',
    ...overrides,
  };
}

function expectEntraError(body: Record<string, unknown>, error: string, code: number): void {
  expect(body).toMatchObject({
    error,
    error_codes: [code],
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
  expect(String(body.error_description)).toMatch(
    new RegExp(`^AADSTS${code}: .* Trace ID: .* Correlation ID: `),
  );
  expect(typeof body.trace_id).toBe('string');
  expect(typeof body.correlation_id).toBe('string');
}

describe('Entra ID on-behalf-of emulation', () => {
  it('answers MSAL’s request (OIDC scopes beside the API’s) with Entra’s response and a verifiable delegated token', async () => {
    const assertion = await requestEntraHumanToken(entra.tokenEndpoint, 'alice');
    const { status, body } = await onBehalfOf(request(assertion));
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'expires_in',
      'ext_expires_in',
      'scope',
      'token_type',
    ]);
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'finance.read finance.write' });
    const keys = createLocalJWKSet((await (await fetch(entra.jwksUri)).json()) as never);
    const { payload, protectedHeader } = await jwtVerify(String(body.access_token), keys, {
      issuer: entra.issuer,
      audience: entra.audience,
    });
    expect(protectedHeader.typ).toBe('JWT');
    expect(payload).toMatchObject({ azp: 'finance-agent', scp: 'finance.read finance.write', ver: '2.0' });
    expect(payload.oid).toBe(decodeJwt(assertion).oid);
  });

  it('issues the human’s token for the agent app that the scope names, else for Microsoft Graph', async () => {
    expect(decodeJwt(await requestEntraHumanToken(entra.tokenEndpoint, 'alice'))).toMatchObject({
      aud: 'finance-agent',
      azp: 'dual-auth-entra-web',
      scp: 'access_as_user',
    });
    expect(
      decodeJwt(await requestEntraHumanToken(entra.tokenEndpoint, 'alice', 'openid profile')),
    ).toMatchObject({
      aud: '00000003-0000-0000-c000-000000000000',
    });
  });

  it.each(['assertion', 'scope', 'requested_token_use'])(
    'refuses a request without %s: 400 invalid_request AADSTS900144 naming it',
    async (missing) => {
      const assertion = await requestEntraHumanToken(entra.tokenEndpoint, 'alice');
      const { status, body } = await onBehalfOf(request(assertion, { [missing]: undefined }));
      expect(status).toBe(400);
      expectEntraError(body, 'invalid_request', 900144);
      expect(String(body.error_description)).toContain(`parameter: '${missing}'`);
    },
  );

  it('refuses an agent app without consent with suberror consent_required (AADSTS65001)', async () => {
    const assertion = await requestEntraHumanToken(
      entra.tokenEndpoint,
      'alice',
      'api://rogue-agent/access_as_user',
    );
    const { status, body } = await onBehalfOf(request(assertion), 'rogue-agent');
    expect(status).toBe(400);
    expectEntraError(body, 'invalid_grant', 65001);
    expect(body.suberror).toBe('consent_required');
  });

  it('refuses an assertion for another app (AADSTS500131) and one that is not a user token (AADSTS50013)', async () => {
    const forRogue = await requestEntraHumanToken(
      entra.tokenEndpoint,
      'alice',
      'api://rogue-agent/access_as_user',
    );
    const audience = await onBehalfOf(request(forRogue));
    expect(audience.status).toBe(400);
    expectEntraError(audience.body, 'invalid_grant', 500131);
    const garbage = await onBehalfOf(request('not-a-jwt'));
    expect(garbage.status).toBe(400);
    expectEntraError(garbage.body, 'invalid_grant', 50013);
    expect(JSON.stringify(garbage.body)).not.toContain('not-a-jwt');
  });
});
