// The embedded Okta profile against Okta's documented behaviour, with plain fetch and jose. Sources:
// - Okta's OAuth 2.0 error catalogue, okta/okta-developer-docs
//   packages/@okta/vuepress-site/data/oauth2-error-codes.json (release 2026.08.1; the data of
//   https://developer.okta.com/docs/api/openapi/okta-oauth/guides/overview/#error-codes), cited
//   below by its internalErrorCode;
// - "Build a self-signed JWT for client authentication" (docs/guides/build-self-signed-jwt);
// - "Implement the Client Credentials grant" (docs/guides/implement-grant-type, clientcreds);
// - "Customize tokens returned from Okta with a groups claim" (docs/guides/customize-tokens-groups-claim);
// - Okta support, "Tokens not issued with lifetime configured in access rule for custom
//   authorization server" (a rule covering fewer scopes than requested does not match).
import { importJWK, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { useEmbeddedIdp } from '../src/conformance/index.ts';
import { defaultIdpFixture, type IdpProfile, startEmbeddedIdp } from '../src/index.ts';

const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const idp = useEmbeddedIdp({ vendors: ['okta'] });
let okta: IdpProfile;
beforeAll(() => {
  okta = idp.profile('okta');
});

function agentOf(clientId: string) {
  const agent = okta.agents.find((candidate) => candidate.clientId === clientId);
  if (agent === undefined) throw new Error(`fixture agent ${clientId} missing`);
  return agent;
}

async function post(form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(okta.tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', ...form }),
    headers,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function withSecret(clientId: string, form: Record<string, string> = {}, secret?: string) {
  return post({
    client_id: clientId,
    client_secret: secret ?? agentOf(clientId).clientSecret,
    scope: 'finance.read',
    ...form,
  });
}

interface AssertionClaims {
  /** `'none'`: no `iat` claim at all. */
  readonly iat?: number | 'none';
  readonly exp?: number;
  readonly aud?: string;
  readonly jti?: string;
}

async function signedAssertion(clientId: string, claims: AssertionClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: clientId,
    sub: clientId,
    aud: claims.aud ?? okta.tokenEndpoint,
    jti: claims.jti ?? crypto.randomUUID(),
    exp: claims.exp ?? now + 60,
    ...(claims.iat === 'none' ? {} : { iat: claims.iat ?? now }),
  };
  const jwk = agentOf(clientId).privateJwk as JWK;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: String(jwk.alg), kid: jwk.kid ?? '' })
    .sign(await importJWK(jwk, String(jwk.alg)));
}

function withAssertion(assertion: string, scope = 'finance.read') {
  return post({ client_assertion_type: assertionType, client_assertion: assertion, scope });
}

function payloadOf(token: unknown): Record<string, unknown> {
  const [, payload = ''] = String(token).split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('embedded Okta: access policies', () => {
  it('answers a client no access-policy rule matches with 401 access_denied "Policy evaluation failed…" (no_matching_policy)', async () => {
    const refused = await withSecret('rogue-agent');
    expect(refused).toEqual({
      status: 401,
      body: {
        error: 'access_denied',
        error_description:
          'Policy evaluation failed for this request, please check the policy configurations.',
      },
    });
  });

  it('names no client, secret or scope in that answer', async () => {
    const refused = await withSecret('rogue-agent', { scope: 'finance.read finance.write' });
    const text = JSON.stringify(refused.body);
    expect(text).not.toContain('rogue-agent');
    expect(text).not.toContain(agentOf('rogue-agent').clientSecret);
    expect(text).not.toContain('finance.');
  });
});

describe('embedded Okta: scopes (no_default_scopes, no_matching_scope)', () => {
  it('refuses a request without scope', async () => {
    const refused = await withSecret('finance-agent', { scope: '' });
    expect(refused).toEqual({
      status: 400,
      body: {
        error: 'invalid_scope',
        error_description:
          "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
      },
    });
  });

  it('refuses a scope the authorization server does not define', async () => {
    const refused = await withSecret('finance-agent', { scope: 'finance.read payroll.admin' });
    expect(refused).toEqual({
      status: 400,
      body: {
        error: 'invalid_scope',
        error_description: 'One or more scopes are not configured for the authorization server resource.',
      },
    });
  });
});

describe('embedded Okta: client-credentials access token claims', () => {
  it('carries cid, sub = client id and the granted scopes in scp, and no user claims (no groups, no uid)', async () => {
    const issued = await withSecret('finance-agent', { scope: 'finance.read' });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    expect(issued.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'finance.read' });
    const claims = payloadOf(issued.body.access_token);
    expect(claims).toMatchObject({
      ver: 1,
      iss: okta.issuer,
      cid: 'finance-agent',
      sub: 'finance-agent',
      scp: ['finance.read'],
    });
    // The client-credentials flow never has a user context; groups claims filter a user's groups.
    expect(claims).not.toHaveProperty('groups');
    expect(claims).not.toHaveProperty('uid');
    expect(claims).not.toHaveProperty('scope');
  });
});

describe('embedded Okta: client authentication errors', () => {
  it('answers a wrong secret with invalid_client_secret', async () => {
    expect(await withSecret('finance-agent', {}, 'wrong-secret')).toEqual({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description: 'The client secret supplied for a confidential client is invalid.',
      },
    });
  });

  it("answers an unknown client id with invalid_client_id in Okta's API error shape", async () => {
    const unknown = await withSecret('finance-agent', { client_id: 'nobody' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({
      errorCode: 'invalid_client',
      errorSummary: "Invalid value for 'client_id' parameter.",
      errorLink: 'invalid_client',
      errorCauses: [],
    });
  });
});

describe('embedded Okta: a client authentication method the client is not set up for', () => {
  it('is invalid_token_endpoint_auth_method: 401 invalid_client "Client authentication failed…"', async () => {
    const fixture = defaultIdpFixture();
    const keyOnly = await startEmbeddedIdp({
      vendors: ['okta'],
      fixture: {
        ...fixture,
        agents: fixture.agents.map((agent) =>
          agent.clientId === 'finance-agent' ? { ...agent, authMethods: ['private_key_jwt'] } : agent,
        ),
      },
    });
    try {
      const profile = keyOnly.profile('okta');
      const response = await fetch(profile.tokenEndpoint, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'finance-agent',
          client_secret: agentOf('finance-agent').clientSecret,
          scope: 'finance.read',
        }),
      });
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 401,
        body: {
          error: 'invalid_client',
          error_description:
            'Client authentication failed. Either the client or the client credentials are invalid.',
        },
      });
    } finally {
      await keyOnly.close();
    }
  });
});

describe('embedded Okta: client assertions (build-self-signed-jwt, client_assertion_* errors)', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const refusedWith = (description: string) => ({
    status: 401,
    body: { error: 'invalid_client', error_description: description },
  });

  it('accepts an exp up to an hour from now, however long ago iat was', async () => {
    const assertion = await signedAssertion('finance-agent', { iat: now() - 300, exp: now() + 3500 });
    const issued = await withAssertion(assertion);
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
  });

  it('refuses an exp more than an hour in the future (client_assertion_expires_too_far_in_future)', async () => {
    const assertion = await signedAssertion('finance-agent', { exp: now() + 3660 });
    expect(await withAssertion(assertion)).toEqual(
      refusedWith('The client_assertion token has an expiration too far into the future.'),
    );
  });

  it('accepts an assertion without iat (iat is optional)', async () => {
    const assertion = await signedAssertion('finance-agent', { iat: 'none' });
    const issued = await withAssertion(assertion);
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
  });

  it('refuses an iat after the request (client_assertion_issued_at_in_future)', async () => {
    const assertion = await signedAssertion('finance-agent', { iat: now() + 20, exp: now() + 120 });
    expect(await withAssertion(assertion)).toEqual(
      refusedWith('The client_assertion token must be issued before the current time.'),
    );
  });

  it('refuses an aud other than the token URL called (client_assertion_invalid_audience)', async () => {
    const assertion = await signedAssertion('finance-agent', { aud: okta.issuer });
    expect(await withAssertion(assertion)).toEqual(
      refusedWith('The audience claim for client_assertion must be the endpoint invoked for the request.'),
    );
  });

  it('refuses a reused jti (client_assertion_already_used)', async () => {
    const assertion = await signedAssertion('finance-agent', {});
    expect((await withAssertion(assertion)).status).toBe(200);
    expect(await withAssertion(assertion)).toEqual(
      refusedWith('The client_assertion token has already been used.'),
    );
  });

  it('refuses an expired assertion (client_assertion_expired_token)', async () => {
    const assertion = await signedAssertion('finance-agent', { iat: now() - 600, exp: now() - 120 });
    expect(await withAssertion(assertion)).toEqual(refusedWith('The client_assertion token is expired.'));
  });

  it('refuses an assertion signed with another key (client_assertion_invalid_signature)', async () => {
    const other = agentOf('rogue-agent').privateJwk as JWK;
    const forged = await new SignJWT({
      iss: 'finance-agent',
      sub: 'finance-agent',
      aud: okta.tokenEndpoint,
      jti: crypto.randomUUID(),
      iat: now(),
      exp: now() + 60,
    })
      .setProtectedHeader({ alg: String(other.alg), kid: agentOf('finance-agent').privateJwk?.kid ?? '' })
      .sign(await importJWK(other, String(other.alg)));
    expect(await withAssertion(forged)).toEqual(refusedWith('The client_assertion signature is invalid.'));
  });
});
