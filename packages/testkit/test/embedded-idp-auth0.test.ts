// The embedded Auth0 profile against Auth0's documented rules, with plain fetch and jose. Each case
// names its source; docs/vendor-fidelity.md ("Auth0") says what could not be confirmed.
import {
  createLocalJWKSet,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { useEmbeddedIdp } from '../src/conformance/index.ts';
import type { CredentialsExchangeAction } from '../src/idp/create-vendor-provider.ts';
import { type IdpProfile, startEmbeddedIdp } from '../src/index.ts';

const idp = useEmbeddedIdp({ vendors: ['auth0'] });
let profile: IdpProfile;
beforeAll(() => {
  profile = idp.profile('auth0');
});

function secretOf(on: IdpProfile, clientId: string): string {
  const found = on.agents.find((candidate) => candidate.clientId === clientId);
  if (found === undefined) throw new Error(`fixture agent ${clientId} missing`);
  return found.clientSecret;
}

function humanId(on: IdpProfile, name: string): string {
  const found = on.humans.find((candidate) => candidate.email.startsWith(`${name}@`));
  if (found === undefined) throw new Error(`fixture human ${name} missing`);
  return found.id;
}

async function requestToken(
  on: IdpProfile,
  fields: Record<string, string> = {},
  clientId = 'finance-agent',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: secretOf(on, clientId),
    audience: on.audience,
    ...fields,
  });
  const response = await fetch(on.tokenEndpoint, { method: 'POST', body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function claimsOf(on: IdpProfile, accessToken: unknown): Promise<JWTPayload> {
  const jwks = (await (await fetch(on.jwksUri)).json()) as JSONWebKeySet;
  const { payload } = await jwtVerify(String(accessToken), createLocalJWKSet(jwks), {
    issuer: on.issuer,
    audience: on.audience,
  });
  return payload;
}

function humanFields(name: string): Record<string, string> {
  return {
    act: JSON.stringify({ sub: humanId(profile, name) }),
    delegation: JSON.stringify({ method: 'explicit', granted_at: Math.floor(Date.now() / 1000) }),
    agbac_ver: '1.0',
  };
}

async function withAction<T>(action: CredentialsExchangeAction, run: (on: IdpProfile) => Promise<T>) {
  const local = await startEmbeddedIdp({ vendors: ['auth0'], auth0Action: action });
  try {
    return await run(local.profile('auth0'));
  } finally {
    await local.close();
  }
}

const grant = ['finance.read', 'finance.write', 'FinanceAgent'];

describe('embedded Auth0: client-credentials scopes', () => {
  // Source: "During a client credential flow, the scopes returned will always be the full set of
  // authorized scopes for the M2M app. This is true even if a subset of the available scopes were
  // requested." https://support.auth0.com/center/s/article/Fetching-an-M2M-token-returns-all-granted-scopes-permissions-instead-of-requested-scopes
  // and RBAC "Add Permissions in the Access Token" (permissions claim):
  // https://auth0.com/docs/get-started/apis/enable-role-based-access-control-for-apis
  it.each([
    ['no scope', {}],
    ['a subset of the grant', { scope: 'finance.read' }],
    ['the whole grant', { scope: grant.join(' ') }],
  ] as const)('with %s, scope and permissions hold the whole client grant', async (_case, fields) => {
    const result = await requestToken(profile, fields);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body.scope).toBe(grant.join(' '));
    const claims = await claimsOf(profile, result.body.access_token);
    expect(claims.scope).toBe(grant.join(' '));
    expect(claims.permissions).toEqual(grant);
    expect(claims).toMatchObject({
      sub: 'finance-agent@clients',
      gty: 'client-credentials',
      azp: 'finance-agent',
    });
  });

  it('gives another agent its own grant: the API scopes and its roles', async () => {
    const local = await requestToken(profile, {}, 'rogue-agent');
    // The Action denies rogue-agent (not an approved agent), so check the grant through a
    // tenant without the Action.
    expect(local.status).toBe(400);
    await withAction(
      () => {},
      async (on) => {
        const result = await requestToken(on, { scope: 'finance.read' }, 'rogue-agent');
        expect(result.status, JSON.stringify(result.body)).toBe(200);
        const claims = await claimsOf(on, result.body.access_token);
        expect(claims.permissions).toEqual(['finance.read', 'finance.write', 'Reporting']);
        expect(claims.permissions).not.toContain('FinanceAgent');
      },
    );
  });

  // "Client has not been granted scopes: …" (403 access_denied) is what Auth0 tenants answer;
  // found in Auth0's own example logs, not on a documentation page.
  it('refuses a scope outside the client grant with 403 access_denied', async () => {
    const result = await requestToken(profile, { scope: 'finance.read payroll.admin' });
    expect(result).toEqual({
      status: 403,
      body: {
        error: 'access_denied',
        error_description: 'Client has not been granted scopes: payroll.admin',
      },
    });
  });
});

describe('embedded Auth0: credentials-exchange Action denials', () => {
  // Source: api.access.deny(code, reason), "Allowed values: invalid_scope, invalid_request,
  // server_error" (https://auth0.com/docs/customize/actions/explore-triggers/machine-to-machine-trigger/credentials-exchange-api-object);
  // the wire form of those codes: HTTP 400 {error, error_description}, 500 for server_error
  // (https://auth0.com/docs/hooks/extensibility-points/client-credentials-exchange).
  it.each(['bob', 'carol'])(
    'the shipped Action refuses human %s with 400 invalid_request and its reason',
    async (name) => {
      const result = await requestToken(profile, humanFields(name));
      expect(result.status).toBe(400);
      expect(result.body.error).toBe('invalid_request');
      expect(String(result.body.error_description)).toMatch(
        /^user \S+ (lacks the role FinanceUser|has not approved agent finance-agent)$/,
      );
    },
  );

  it('the shipped Action refuses an agent that is not approved with 400 invalid_request', async () => {
    const result = await requestToken(profile, humanFields('alice'), 'rogue-agent');
    expect(result).toEqual({
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: 'client is not an approved agent (missing FinanceAgent)',
      },
    });
  });

  it.each([
    ['invalid_scope', 400],
    ['invalid_request', 400],
    ['server_error', 500],
  ] as const)('a denial with %s answers HTTP %i with that code and the reason', async (code, status) => {
    await withAction(
      (_event, api) => api.access.deny(code, 'denied by policy'),
      async (on) => {
        expect(await requestToken(on)).toEqual({
          status,
          body: { error: code, error_description: 'denied by policy' },
        });
      },
    );
  });

  it('an Action denying with another code fails as an Action error, never as that code', async () => {
    await withAction(
      (_event, api) => api.access.deny('access_denied', 'denied by policy'),
      async (on) => {
        const result = await requestToken(on);
        expect(result.status).toBe(500);
        expect(result.body.error).toBe('server_error');
        expect(result.body.error).not.toBe('access_denied');
      },
    );
  });
});

describe('embedded Auth0: custom claims an Action sets', () => {
  // Source: the restricted-claims list and namespace rules of "Create Custom Claims"
  // (https://auth0.com/docs/secure/tokens/json-web-tokens/create-custom-claims,
  // https://auth0.com/docs/tokens/create-namespaced-custom-claims).
  it('drops restricted claims and Auth0-domain namespaces silently, keeps the others', async () => {
    await withAction(
      (_event, api) => {
        for (const name of ['act', 'may_act', 'permissions', 'roles', 'org_id', 'cnf', 'typ', 'txn']) {
          api.accessToken.setCustomClaim(name, 'forged');
        }
        api.accessToken.setCustomClaim('https://tenant.auth0.com/act', 'forged');
        api.accessToken.setCustomClaim('https://example.com/act', { sub: 'kept' });
        api.accessToken.setCustomClaim('department', 'finance');
      },
      async (on) => {
        const result = await requestToken(on);
        expect(result.status, JSON.stringify(result.body)).toBe(200);
        const claims = await claimsOf(on, result.body.access_token);
        for (const name of [
          'act',
          'may_act',
          'roles',
          'org_id',
          'cnf',
          'typ',
          'txn',
          'https://tenant.auth0.com/act',
        ]) {
          expect(claims, name).not.toHaveProperty([name]);
        }
        expect(claims.permissions).toEqual(grant);
        expect(claims['https://example.com/act']).toEqual({ sub: 'kept' });
        expect(claims.department).toBe('finance');
      },
    );
  });
});

describe('embedded Auth0: private_key_jwt assertion times', () => {
  // Source: "iat (optional), nbf (optional), and exp … A clock skew of up to 10 seconds is allowed
  // for iat and nbf … Auth0 supports a maximum of 5 minutes for the lifetime of a token"
  // (https://auth0.com/docs/get-started/authentication-and-authorization-flow/authenticate-with-private-key-jwt).
  async function withAssertion(times: { iat?: number; nbf?: number; exp: number }) {
    const agent = profile.agents.find((candidate) => candidate.clientId === 'finance-agent');
    const jwk = agent?.privateJwk as JWK;
    const jwt = new SignJWT({ ...times, jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: String(jwk.alg), kid: jwk.kid ?? '' })
      .setIssuer('finance-agent')
      .setSubject('finance-agent')
      .setAudience(profile.issuer);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await jwt.sign(await importJWK(jwk, String(jwk.alg))),
      audience: profile.audience,
    });
    const response = await fetch(profile.tokenEndpoint, { method: 'POST', body: form });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts an assertion without iat, its lifetime counted from now', async () => {
    expect((await withAssertion({ exp: now() + 120 })).status).toBe(200);
    expect(await withAssertion({ exp: now() + 400 })).toEqual({
      status: 401,
      body: { error: 'access_denied', error_description: 'Unauthorized' },
    });
  });

  it('allows 10 seconds of clock skew for iat and nbf, no more', async () => {
    expect((await withAssertion({ iat: now() + 5, nbf: now() + 5, exp: now() + 120 })).status).toBe(200);
    expect((await withAssertion({ iat: now() + 25, exp: now() + 120 })).status).toBe(401);
    expect((await withAssertion({ iat: now(), nbf: now() + 25, exp: now() + 120 })).status).toBe(401);
  });
});
