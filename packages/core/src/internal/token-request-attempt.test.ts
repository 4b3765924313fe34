// The grant of exchange mode on the wire: RFC 8693 by default, Entra ID's jwt-bearer on-behalf-of
// request when the rules say `exchangeGrant: 'jwt-bearer-on-behalf-of'`
// (learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow, "Middle-tier access
// token request": grant_type, client_id, client_secret or client_assertion, assertion, scope,
// requested_token_use=on_behalf_of).
import { afterEach, describe, expect, it } from 'vitest';
import { type LoopbackServer, sendJson, startLoopbackServer } from '../../test/loopback-server.ts';
import {
  ClientCredentialsAdapter,
  type ClientCredentialsRules,
  type ExchangeGrant,
} from '../client-credentials-adapter.ts';
import type { DualAuthConfig } from '../config-definition.ts';
import { Secret } from '../secret.ts';

const subjectToken = 'eyJhbGciOiJSUzI1NiJ9.eyJodW1hbiI6dHJ1ZX0.c3ViamVjdC10b2tlbg';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function config(tokenUrl: string): DualAuthConfig {
  return {
    vendor: 'entraid',
    secretsBackend: 'env',
    tokenUrl,
    clientId: 'finance-agent',
    clientSecret: new Secret('agent-secret-0123456789abcdef'),
    audience: 'api-client-id',
    scope: ['api://finance/.default'],
    appId: undefined,
    appPrivateKeyPath: undefined,
    appPublicKeyPath: undefined,
    agentEndpoint: undefined,
    apiUrl: undefined,
    allowInsecureLoopback: true,
    settings: {},
  };
}

function rules(exchangeGrant: ExchangeGrant | undefined): ClientCredentialsRules {
  return {
    vendor: 'entraid',
    tokenUrlSetting: 'ENTRAID_TOKEN_URL',
    defaultMode: 'hybrid',
    authMethods: { agbac: [], hybrid: ['client_secret_post'], exchange: ['client_secret_post'] },
    defaultAuthMethod: {
      agbac: 'client_secret_post',
      hybrid: 'client_secret_post',
      exchange: 'client_secret_post',
    },
    assertionAudience: (url) => url.href,
    audience: 'api-client-id',
    ...(exchangeGrant === undefined ? {} : { exchangeGrant }),
    requestParts: ({ scope }) => ({ fields: { scope: scope.join(' ') } }),
  };
}

async function exchangeBody(exchangeGrant: ExchangeGrant | undefined): Promise<URLSearchParams> {
  server = await startLoopbackServer((_request, response) =>
    sendJson(response, 200, { access_token: 'exchanged', token_type: 'Bearer', expires_in: 3599 }),
  );
  const adapter = new ClientCredentialsAdapter(
    config(server.url),
    { mode: 'exchange', retry: { limit: 0 } },
    rules(exchangeGrant),
  );
  await adapter.requestToken({
    agentId: 'finance-agent',
    act: { sub: 'alice' },
    subjectToken: new Secret(subjectToken),
  });
  return new URLSearchParams(server.requests[0]?.body);
}

describe('the exchange grant of tokenRequestAttempt', () => {
  it('sends RFC 8693 token exchange by default: subject_token and its type, no assertion', async () => {
    const body = await exchangeBody(undefined);
    expect(Object.fromEntries(body)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: subjectToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      scope: 'api://finance/.default',
      client_id: 'finance-agent',
      client_secret: 'agent-secret-0123456789abcdef',
    });
  });

  it('sends the same for an explicit token-exchange', async () => {
    const body = await exchangeBody('token-exchange');
    expect(body.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
    expect(body.get('subject_token')).toBe(subjectToken);
  });

  it('sends Entra ID’s on-behalf-of request for jwt-bearer-on-behalf-of: assertion, requested_token_use', async () => {
    const body = await exchangeBody('jwt-bearer-on-behalf-of');
    expect(Object.fromEntries(body)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: subjectToken,
      requested_token_use: 'on_behalf_of',
      scope: 'api://finance/.default',
      client_id: 'finance-agent',
      client_secret: 'agent-secret-0123456789abcdef',
    });
  });

  it('keeps client credentials outside exchange mode whatever exchangeGrant says', async () => {
    server = await startLoopbackServer((_request, response) =>
      sendJson(response, 200, { access_token: 'app-only', token_type: 'Bearer', expires_in: 3599 }),
    );
    const adapter = new ClientCredentialsAdapter(
      config(server.url),
      { mode: 'hybrid', signActAssertion: async () => 'act-assertion' },
      rules('jwt-bearer-on-behalf-of'),
    );
    await adapter.requestToken({ agentId: 'finance-agent', act: { sub: 'alice' } });
    const body = new URLSearchParams(server.requests[0]?.body);
    expect(body.get('grant_type')).toBe('client_credentials');
    expect(body.has('assertion')).toBe(false);
  });
});
