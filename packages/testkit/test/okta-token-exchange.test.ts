// The embedded Okta profile's On-Behalf-Of Token Exchange and Resource Owner Password grant against
// Okta's documentation, with plain fetch and jose. Sources:
// - guide: "Set up OAuth 2.0 On-Behalf-Of Token Exchange" (developer.okta.com/docs/guides/set-up-token-exchange;
//   okta/okta-developer-docs packages/@okta/vuepress-site/docs/guides/set-up-token-exchange/main/index.md):
//   the request (Basic, subject_token_type, scope, audience), the response and "Access token decoded";
// - catalogue: Okta's OAuth 2.0 error catalogue, okta/okta-developer-docs
//   packages/@okta/vuepress-site/data/oauth2-error-codes.json (release 2026.08.1), by internalErrorCode;
// - ropassword: "Implement the Resource Owner Password flow" (docs/guides/implement-grant-type/ropassword).
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { useEmbeddedIdp } from '../src/conformance/index.ts';
import { fixtureKeys } from '../src/idp/default-fixture.ts';
import { type IdpProfile, oktaHumanPassword, oktaNativeApp, requestOktaHumanToken } from '../src/index.ts';

const exchangeGrant = 'urn:ietf:params:oauth:grant-type:token-exchange';
const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';

const idp = useEmbeddedIdp({ vendors: ['okta'], webClients: [oktaNativeApp] });
let okta: IdpProfile;
let aliceToken: string;

beforeAll(async () => {
  okta = idp.profile('okta');
  aliceToken = await requestOktaHumanToken(okta.tokenEndpoint, 'alice@example.com');
});

function basic(clientId: string): string {
  const agent = okta.agents.find((candidate) => candidate.clientId === clientId);
  if (agent === undefined) throw new Error(`fixture agent ${clientId} missing`);
  return `Basic ${btoa(`${clientId}:${agent.clientSecret}`)}`;
}

async function exchange(form: Record<string, string | undefined>, clientId = 'finance-agent') {
  const fields = Object.entries({
    grant_type: exchangeGrant,
    subject_token_type: accessTokenType,
    subject_token: aliceToken,
    scope: 'finance.read',
    audience: okta.audience,
    ...form,
  }).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const response = await fetch(okta.tokenEndpoint, {
    method: 'POST',
    headers: { authorization: basic(clientId), accept: 'application/json' },
    body: new URLSearchParams(fields),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function humanId(name: string): string {
  const human = okta.humans.find((candidate) => candidate.email === `${name}@example.com`);
  if (human === undefined) throw new Error(`fixture human ${name} missing`);
  return human.id;
}

describe('Okta Resource Owner Password grant (ropassword)', () => {
  it("issues the human's access token: cid = the app, uid = the user, sub = the login", () => {
    expect(decodeJwt(aliceToken)).toMatchObject({
      ver: 1,
      iss: okta.issuer,
      aud: okta.audience,
      cid: oktaNativeApp.clientId,
      uid: humanId('alice'),
      sub: 'alice@example.com',
      scp: ['openid'],
    });
  });

  // Okta answers 400 invalid_grant "The credentials provided were invalid." (catalogue
  // invalid_password_credentials); the embedded IdP answers a web application's refusals as
  // oidc-provider does (create-vendor-provider.ts), so only the status is Okta's here.
  it('refuses a wrong password with a 400', async () => {
    const response = await fetch(okta.tokenEndpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${btoa(`${oktaNativeApp.clientId}:${oktaNativeApp.clientSecret}`)}` },
      body: new URLSearchParams({
        grant_type: 'password',
        username: 'alice@example.com',
        password: `${oktaHumanPassword}-wrong`,
        scope: 'openid',
      }),
    });
    expect(response.status).toBe(400);
  });
});

describe('Okta On-Behalf-Of Token Exchange (guide)', () => {
  it('answers as the guide shows: token_type, expires_in, access_token, scope, issued_token_type', async () => {
    const { status, body } = await exchange({});
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(
      ['access_token', 'expires_in', 'issued_token_type', 'scope', 'token_type'].sort(),
    );
    expect(body).toMatchObject({
      token_type: 'Bearer',
      scope: 'finance.read',
      issued_token_type: accessTokenType,
    });
  });

  it('keeps the user (uid, sub = login) and names the service app in cid, with no act (Access token decoded)', async () => {
    const { body } = await exchange({ scope: 'finance.read finance.write' });
    const token = String(body.access_token);
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      ver: 1,
      iss: okta.issuer,
      aud: okta.audience,
      cid: 'finance-agent',
      uid: humanId('alice'),
      sub: 'alice@example.com',
      scp: ['finance.read', 'finance.write'],
    });
    expect(String(claims.jti)).toMatch(/^AT\./);
    expect(claims.auth_time).toBe(decodeJwt(aliceToken).auth_time);
    expect(claims.act).toBeUndefined();
    expect(decodeProtectedHeader(token).typ).toBeUndefined();
  });

  it.each([
    // [case, form or client, status, error, description (catalogue internalErrorCode)]
    [
      'a subject_token_type other than access_token (invalid_subject_token_type)',
      { subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' },
      400,
      'invalid_request',
      "'subject_token_type' is invalid or not supported.",
    ],
    [
      'a subject token that does not verify (invalid_subject_token)',
      { subject_token: 'not-a-token' },
      400,
      'invalid_request',
      "'subject_token' is invalid.",
    ],
    [
      'no audience (token_exchange_invalid_audience)',
      { audience: undefined },
      400,
      'invalid_target',
      'Token Exchange requests must include a valid audience of the authorization server.',
    ],
    [
      'another audience (token_exchange_invalid_audience)',
      { audience: 'api://default' },
      400,
      'invalid_target',
      'Token Exchange requests must include a valid audience of the authorization server.',
    ],
    [
      'an OpenID Connect scope (openid_not_allowed_token_exchange)',
      { scope: 'openid finance.read' },
      400,
      'invalid_scope',
      "Can't request 'openid' scopes using the Token Exchange flow for a service app.",
    ],
    [
      'no scope (no_default_scopes)',
      { scope: undefined },
      400,
      'invalid_scope',
      "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
    ],
    [
      'a scope the server does not define (no_matching_scope)',
      { scope: 'payroll.admin' },
      400,
      'invalid_scope',
      'One or more scopes are not configured for the authorization server resource.',
    ],
  ])('refuses %s', async (_case, form, status, error, description) => {
    expect(await exchange(form)).toEqual({ status, body: { error, error_description: description } });
  });

  it('refuses a token of another, untrusted authorization server (associated_server_not_trusted)', async () => {
    const payload = btoa(JSON.stringify({ iss: `${idp.baseUrl}/oauth2/aus-other`, uid: humanId('alice') }));
    const foreign = `eyJhbGciOiJSUzI1NiJ9.${payload.replace(/=+$/, '')}.c2lnbmF0dXJl`;
    expect(await exchange({ subject_token: foreign })).toEqual({
      status: 403,
      body: {
        error: 'access_denied',
        error_description: "The 'subject_token' issuer isn't a trusted authorization server.",
      },
    });
  });

  it('refuses an expired user token of this server with 400 invalid_grant (token_exchange_subject_token_expired)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const key = fixtureKeys().signing.okta;
    const expired = await new SignJWT({
      ver: 1,
      cid: oktaNativeApp.clientId,
      uid: humanId('alice'),
      scp: ['openid'],
    })
      .setProtectedHeader({ alg: 'RS256', ...(key.kid === undefined ? {} : { kid: key.kid }) })
      .setIssuer(okta.issuer)
      .setAudience(okta.audience)
      .setSubject('alice@example.com')
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(await importJWK(key, 'RS256'));
    expect(await exchange({ subject_token: expired })).toEqual({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description:
          "The 'subject_token' either expired or the session associated with it was terminated.",
      },
    });
  });

  it('refuses a client-credentials token as the subject: it names no user', async () => {
    const response = await fetch(okta.tokenEndpoint, {
      method: 'POST',
      headers: { authorization: basic('finance-agent') },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'finance.read' }),
    });
    const agentToken = String(((await response.json()) as Record<string, unknown>).access_token);
    expect(await exchange({ subject_token: agentToken })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request', error_description: "'subject_token' is invalid." },
    });
  });

  it('answers a service app no access-policy rule lets exchange with 401 access_denied (no_matching_policy)', async () => {
    expect(await exchange({}, 'rogue-agent')).toEqual({
      status: 401,
      body: {
        error: 'access_denied',
        error_description:
          'Policy evaluation failed for this request, please check the policy configurations.',
      },
    });
  });

  it('answers a service app without the Token Exchange grant with 400 unauthorized_client', async () => {
    expect(await exchange({}, 'directory-reader')).toMatchObject({
      status: 400,
      body: { error: 'unauthorized_client' },
    });
  });

  it('exchanges any user’s token: the rule covers every user, so entitlement is the API’s decision', async () => {
    const bobToken = await requestOktaHumanToken(okta.tokenEndpoint, 'bob');
    const { status, body } = await exchange({ subject_token: bobToken });
    expect(status).toBe(200);
    expect(decodeJwt(String(body.access_token))).toMatchObject({ uid: humanId('bob'), cid: 'finance-agent' });
  });
});
