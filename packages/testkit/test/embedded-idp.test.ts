// The embedded IdP, exercised the way an independent client would: plain fetch and jose, no
// dual-auth client code. Every rule is checked against the vendor's documented status and error.
import type { Vendor } from '@dual-auth/core';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { describe, expect, it } from 'vitest';
import { useEmbeddedIdp } from '../src/conformance/index.ts';
import { type IdpProfile, startEmbeddedIdp } from '../src/index.ts';

const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const vendors: readonly Vendor[] = ['keycloak', 'auth0', 'okta', 'entraid'];

const idp = useEmbeddedIdp();

function agent(profile: IdpProfile, clientId = 'finance-agent') {
  const found = profile.agents.find((candidate) => candidate.clientId === clientId);
  if (!found) throw new Error(`fixture agent ${clientId} missing`);
  return found;
}

function human(profile: IdpProfile, name: 'alice' | 'bob' | 'carol') {
  const found = profile.humans.find((candidate) => candidate.email.startsWith(name));
  if (!found) throw new Error(`fixture human ${name} missing`);
  return found;
}

interface AssertionOptions {
  readonly method: 'client_secret_jwt' | 'private_key_jwt';
  readonly clientId?: string;
  readonly audience?: string | string[];
  readonly issuer?: string;
  readonly lifetimeSeconds?: number;
  readonly issuedAt?: number;
  readonly jti?: string;
  readonly claims?: Record<string, unknown>;
  readonly key?: JWK | string;
}

function defaultAssertionAudience(profile: IdpProfile): string {
  return profile.vendor === 'keycloak' || profile.vendor === 'auth0' ? profile.issuer : profile.tokenEndpoint;
}

async function clientAssertion(profile: IdpProfile, options: AssertionOptions): Promise<string> {
  const client = agent(profile, options.clientId);
  const now = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(options.claims ?? {})
    .setIssuer(options.issuer ?? client.clientId)
    .setSubject(client.clientId)
    .setAudience(options.audience ?? defaultAssertionAudience(profile))
    .setIssuedAt(now)
    .setExpirationTime(now + (options.lifetimeSeconds ?? 60))
    .setJti(options.jti ?? crypto.randomUUID());
  if (options.method === 'client_secret_jwt') {
    const secret = typeof options.key === 'string' ? options.key : client.clientSecret;
    return jwt.setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
  }
  const jwk = (typeof options.key === 'object' ? options.key : client.privateJwk) as JWK;
  // Entra finds the client's registered certificate by x5t#S256 (src/idp/vendors/entraid.test.ts).
  const thumbprint = profile.vendor === 'entraid' ? client.publicJwk?.['x5t#S256'] : undefined;
  return jwt
    .setProtectedHeader({
      alg: String(jwk.alg),
      kid: jwk.kid ?? '',
      ...(thumbprint ? { 'x5t#S256': thumbprint } : {}),
    })
    .sign(await importJWK(jwk, String(jwk.alg)));
}

function baseForm(profile: IdpProfile, extra: Record<string, string> = {}): URLSearchParams {
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...extra });
  if (profile.vendor === 'auth0') form.set('audience', profile.audience);
  if (!form.has('scope')) form.set('scope', profile.scope.join(' '));
  return form;
}

async function tokenRequest(
  profile: IdpProfile,
  form: URLSearchParams,
  headers: Record<string, string> = {},
) {
  const response = await fetch(profile.tokenEndpoint, { method: 'POST', body: form, headers });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text };
  }
  return { status: response.status, headers: response.headers, body };
}

async function withSecret(
  profile: IdpProfile,
  how: 'basic' | 'post',
  clientId = 'finance-agent',
  secret?: string,
  extra: Record<string, string> = {},
) {
  const client = profile.agents.find((candidate) => candidate.clientId === clientId);
  const clientSecret = secret ?? client?.clientSecret ?? 'unknown';
  if (how === 'post')
    return tokenRequest(
      profile,
      baseForm(profile, { client_id: clientId, client_secret: clientSecret, ...extra }),
    );
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString(
    'base64',
  );
  return tokenRequest(profile, baseForm(profile, extra), { authorization: `Basic ${basic}` });
}

async function withAssertion(
  profile: IdpProfile,
  options: AssertionOptions,
  extra: Record<string, string> = {},
) {
  const assertion = await clientAssertion(profile, options);
  return tokenRequest(
    profile,
    baseForm(profile, { client_assertion_type: assertionType, client_assertion: assertion, ...extra }),
  );
}

async function verifyToken(
  profile: IdpProfile,
  accessToken: unknown,
): Promise<{ payload: JWTPayload; header: Record<string, unknown> }> {
  expect(typeof accessToken).toBe('string');
  const jwks = (await (await fetch(profile.jwksUri)).json()) as JSONWebKeySet;
  const { payload, protectedHeader } = await jwtVerify(String(accessToken), createLocalJWKSet(jwks), {
    issuer: profile.issuer,
    audience: profile.audience,
  });
  return { payload, header: protectedHeader as Record<string, unknown> };
}

const secretMethods = {
  keycloak: ['basic', 'post'],
  auth0: ['basic', 'post'],
  okta: ['basic', 'post'],
  entraid: ['basic', 'post'],
} as const;
const jwtMethods: Record<Vendor, readonly ('client_secret_jwt' | 'private_key_jwt')[]> = {
  keycloak: ['client_secret_jwt', 'private_key_jwt'],
  auth0: ['private_key_jwt'],
  okta: ['client_secret_jwt', 'private_key_jwt'],
  entraid: ['private_key_jwt'],
};

describe('embedded IdP: discovery and layout', () => {
  it.each(vendors)('%s publishes discovery with its issuer, token endpoint and JWKS', async (vendor) => {
    const profile = idp.profile(vendor);
    const discovery = (await (await fetch(profile.discoveryUrl)).json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(profile.issuer);
    expect(discovery.token_endpoint).toBe(profile.tokenEndpoint);
    expect(discovery.jwks_uri).toBe(profile.jwksUri);
    const jwks = (await (await fetch(profile.jwksUri)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys)
      for (const privateMember of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
        expect(key).not.toHaveProperty(privateMember);
  });

  it('uses each vendor URL layout and issuer form', () => {
    const base = idp.baseUrl;
    expect(idp.profile('keycloak').issuer).toBe(`${base}/realms/dual-auth`);
    expect(idp.profile('keycloak').tokenEndpoint).toBe(
      `${base}/realms/dual-auth/protocol/openid-connect/token`,
    );
    expect(idp.profile('keycloak').jwksUri).toBe(`${base}/realms/dual-auth/protocol/openid-connect/certs`);
    expect(idp.profile('auth0').issuer).toBe(`${base}/`);
    expect(idp.profile('auth0').tokenEndpoint).toBe(`${base}/oauth/token`);
    expect(idp.profile('auth0').jwksUri).toBe(`${base}/.well-known/jwks.json`);
    expect(idp.profile('okta').issuer).toBe(`${base}/oauth2/aus-dual-auth`);
    expect(idp.profile('okta').tokenEndpoint).toBe(`${base}/oauth2/aus-dual-auth/v1/token`);
    expect(idp.profile('okta').jwksUri).toBe(`${base}/oauth2/aus-dual-auth/v1/keys`);
    const tenant = '7a3e5c1d-4b2f-4e8a-9c6d-2f1e0b9a8c7d';
    expect(idp.profile('entraid').issuer).toBe(`${base}/${tenant}/v2.0`);
    expect(idp.profile('entraid').tokenEndpoint).toBe(`${base}/${tenant}/oauth2/v2.0/token`);
    expect(idp.profile('entraid').jwksUri).toBe(`${base}/${tenant}/discovery/v2.0/keys`);
    expect(idp.profile('entraid').discoveryUrl).toBe(
      `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
    );
  });
});

describe('embedded IdP: tokens in each vendor shape, for each supported client authentication', () => {
  const cases = vendors.flatMap((vendor) => [
    ...secretMethods[vendor].map((method) => [vendor, `client_secret_${method}`] as const),
    ...jwtMethods[vendor].map((method) => [vendor, method] as const),
  ]);

  it.each(cases)('%s issues a verifiable token with %s', async (vendor, method) => {
    const profile = idp.profile(vendor);
    const result =
      method === 'client_secret_basic' || method === 'client_secret_post'
        ? await withSecret(profile, method === 'client_secret_basic' ? 'basic' : 'post')
        : await withAssertion(profile, { method });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body.token_type).toBe('Bearer');
    const { payload, header } = await verifyToken(profile, result.body.access_token);
    expect(header.alg).toBe('RS256');
    switch (vendor) {
      case 'keycloak':
        expect(result.body).toMatchObject({ expires_in: 300, refresh_expires_in: 0, 'not-before-policy': 0 });
        expect(header.typ).toBe('JWT');
        expect(payload).toMatchObject({
          azp: 'finance-agent',
          typ: 'Bearer',
          preferred_username: 'service-account-finance-agent',
        });
        expect(payload.sub).toMatch(/^[0-9a-f-]{36}$/);
        expect(payload.realm_access).toEqual({ roles: expect.arrayContaining(['FinanceAgent']) });
        break;
      case 'auth0':
        expect(result.body.expires_in).toBe(86_400);
        expect(payload).toMatchObject({
          sub: 'finance-agent@clients',
          gty: 'client-credentials',
          azp: 'finance-agent',
          // Every scope of the client grant, whatever was requested (vendors/auth0.ts).
          scope: 'finance.read finance.write FinanceAgent',
          permissions: ['finance.read', 'finance.write', 'FinanceAgent'],
        });
        expect(result.headers.get('x-ratelimit-limit')).not.toBeNull();
        break;
      case 'okta':
        expect(result.body.expires_in).toBe(3600);
        expect(header.typ).toBeUndefined();
        expect(payload).toMatchObject({
          ver: 1,
          cid: 'finance-agent',
          sub: 'finance-agent',
          scp: ['finance.read', 'finance.write'],
        });
        expect(String(payload.jti)).toMatch(/^AT\./);
        expect(payload).not.toHaveProperty('scope');
        break;
      case 'entraid':
        expect(result.body).toMatchObject({ expires_in: 3599, ext_expires_in: 3599 });
        expect(result.body).not.toHaveProperty('scope');
        expect(payload).toMatchObject({
          azp: 'finance-agent',
          azpacr: method === 'private_key_jwt' ? '2' : '1',
          ver: '2.0',
          roles: ['FinanceAgent'],
          tid: '7a3e5c1d-4b2f-4e8a-9c6d-2f1e0b9a8c7d',
        });
        expect(payload.oid).toBe(payload.sub);
        expect(payload).not.toHaveProperty('scope');
        break;
    }
  });
});

describe('embedded IdP: client assertion rules', () => {
  const cases = vendors.flatMap((vendor) => jwtMethods[vendor].map((method) => [vendor, method] as const));
  const refusal: Record<Vendor, { status: number; error: string }> = {
    keycloak: { status: 400, error: 'invalid_client' },
    auth0: { status: 401, error: 'access_denied' },
    okta: { status: 401, error: 'invalid_client' },
    entraid: { status: 401, error: 'invalid_client' },
  };

  async function expectRefused(vendor: Vendor, result: { status: number; body: Record<string, unknown> }) {
    expect({ status: result.status, error: result.body.error }).toEqual(refusal[vendor]);
    if (vendor === 'entraid') expect(result.body.error_codes).toEqual([700027]);
  }

  it.each(cases)('%s refuses a %s assertion with a wrong signature', async (vendor, method) => {
    const profile = idp.profile(vendor);
    const wrongKey =
      method === 'client_secret_jwt'
        ? 'not-the-client-secret-0123456789abcdef0123'
        : agent(profile, 'rogue-agent').privateJwk;
    const result = await withAssertion(profile, { method, ...(wrongKey ? { key: wrongKey } : {}) });
    if (vendor === 'keycloak' && method === 'client_secret_jwt') {
      // Keycloak 26.7.3's client-secret JWT authenticator answers a bad signature with
      // unauthorized_client (apps/e2e/test/real-keycloak/differential.test.ts).
      expect({ status: result.status, error: result.body.error }).toEqual({
        status: 400,
        error: 'unauthorized_client',
      });
      return;
    }
    await expectRefused(vendor, result);
  });

  it.each(cases)('%s refuses a %s assertion for the wrong audience', async (vendor, method) => {
    const profile = idp.profile(vendor);
    await expectRefused(
      vendor,
      await withAssertion(profile, { method, audience: 'https://elsewhere.example.com/token' }),
    );
  });

  it.each(cases)('%s refuses an expired %s assertion', async (vendor, method) => {
    const profile = idp.profile(vendor);
    await expectRefused(
      vendor,
      await withAssertion(profile, {
        method,
        issuedAt: Math.floor(Date.now() / 1000) - 600,
        lifetimeSeconds: 120,
      }),
    );
  });

  // Keycloak bounds an assertion's age instead (below); Entra sets no limit (vendors/entraid.test.ts).
  it.each(cases.filter(([vendor]) => vendor !== 'keycloak' && vendor !== 'entraid'))(
    '%s refuses a %s assertion that lives longer than the vendor allows',
    async (vendor, method) => {
      const profile = idp.profile(vendor);
      await expectRefused(vendor, await withAssertion(profile, { method, lifetimeSeconds: 7_200 }));
    },
  );

  // Keycloak's AbstractBaseJWTValidator.validateTokenActive (keycloak/keycloak, services/…/
  // authenticators/client/), as Keycloak 26.7.3 answers: usable for 60 s after iat (the client's
  // token.endpoint.auth.signing.max.exp default) whatever exp says; iat at most 15 s in the future.
  it.each(jwtMethods.keycloak)(
    'keycloak refuses a %s assertion issued more than 60 s ago',
    async (method) => {
      const profile = idp.profile('keycloak');
      const now = Math.floor(Date.now() / 1000);
      const old = await withAssertion(profile, { method, issuedAt: now - 61, lifetimeSeconds: 600 });
      expect([old.status, old.body.error, old.body.error_description]).toEqual([
        400,
        'invalid_client',
        'Token was issued too far in the past to be used now',
      ]);
      const young = await withAssertion(profile, { method, issuedAt: now - 45, lifetimeSeconds: 600 });
      expect(young.status, JSON.stringify(young.body)).toBe(200);
    },
  );

  it.each(jwtMethods.keycloak)('keycloak refuses a %s assertion issued in the future', async (method) => {
    const profile = idp.profile('keycloak');
    const now = Math.floor(Date.now() / 1000);
    const future = await withAssertion(profile, { method, issuedAt: now + 30 });
    expect([future.status, future.body.error, future.body.error_description]).toEqual([
      400,
      'invalid_client',
      'Token was issued in the future',
    ]);
    const withinSkew = await withAssertion(profile, { method, issuedAt: now + 10 });
    expect(withinSkew.status, JSON.stringify(withinSkew.body)).toBe(200);
  });

  it.each(cases)('%s refuses a %s assertion whose iss is not its sub', async (vendor, method) => {
    const profile = idp.profile(vendor);
    await expectRefused(vendor, await withAssertion(profile, { method, issuer: 'rogue-agent' }));
  });

  it.each(cases)('%s refuses a reused %s assertion jti', async (vendor, method) => {
    const profile = idp.profile(vendor);
    const assertion = await clientAssertion(profile, { method });
    const form = () =>
      baseForm(profile, { client_assertion_type: assertionType, client_assertion: assertion });
    expect((await tokenRequest(profile, form())).status).toBe(200);
    await expectRefused(vendor, await tokenRequest(profile, form()));
  });

  it('keeps used jtis until they expire, even after thousands of other assertions', async () => {
    const profile = idp.profile('keycloak');
    const remembered = await clientAssertion(profile, { method: 'client_secret_jwt', lifetimeSeconds: 300 });
    const form = (assertion: string) =>
      baseForm(profile, { client_assertion_type: assertionType, client_assertion: assertion });
    expect((await tokenRequest(profile, form(remembered))).status).toBe(200);
    const batch = 25;
    for (let round = 0; round < 3_000 / batch; round++) {
      const assertions = await Promise.all(
        Array.from({ length: batch }, () => clientAssertion(profile, { method: 'client_secret_jwt' })),
      );
      const statuses = await Promise.all(
        assertions.map(async (assertion) => (await tokenRequest(profile, form(assertion))).status),
      );
      expect(new Set(statuses)).toEqual(new Set([200]));
    }
    await expectRefused('keycloak', await tokenRequest(profile, form(remembered)));
  }, 120_000);

  it('rejects several audiences at Keycloak', async () => {
    const profile = idp.profile('keycloak');
    await expectRefused(
      'keycloak',
      await withAssertion(profile, {
        method: 'client_secret_jwt',
        audience: [profile.issuer, profile.tokenEndpoint],
      }),
    );
  });

  it('accepts the token URL as Keycloak assertion audience, but only the exact token URL at Okta and Entra', async () => {
    expect(
      (
        await withAssertion(idp.profile('keycloak'), {
          method: 'client_secret_jwt',
          audience: idp.profile('keycloak').tokenEndpoint,
        })
      ).status,
    ).toBe(200);
    await expectRefused(
      'okta',
      await withAssertion(idp.profile('okta'), {
        method: 'private_key_jwt',
        audience: idp.profile('okta').issuer,
      }),
    );
    await expectRefused(
      'entraid',
      await withAssertion(idp.profile('entraid'), {
        method: 'private_key_jwt',
        audience: idp.profile('entraid').issuer,
      }),
    );
  });

  it.each(['auth0', 'entraid'] as const)('%s does not support client_secret_jwt', async (vendor) => {
    const result = await withAssertion(idp.profile(vendor), { method: 'client_secret_jwt' });
    await expectRefused(vendor, result);
  });
});

describe('embedded IdP: client credentials errors in each vendor shape', () => {
  it('Keycloak: wrong secret is unauthorized_client, unknown client invalid_client, both 401', async () => {
    const profile = idp.profile('keycloak');
    const wrong = await withSecret(profile, 'post', 'finance-agent', 'wrong-secret');
    expect([wrong.status, wrong.body.error]).toEqual([401, 'unauthorized_client']);
    const unknown = await withSecret(profile, 'basic', 'no-such-client', 'x');
    expect([unknown.status, unknown.body.error]).toEqual([401, 'invalid_client']);
  });

  it('Auth0: bad credentials are 401 access_denied "Unauthorized"', async () => {
    const profile = idp.profile('auth0');
    for (const result of [
      await withSecret(profile, 'post', 'finance-agent', 'wrong'),
      await withSecret(profile, 'post', 'nobody', 'x'),
    ]) {
      expect(result.status).toBe(401);
      expect(result.body).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
    }
  });

  it('Okta: wrong secret is invalid_client, unknown client has the Okta error shape', async () => {
    const profile = idp.profile('okta');
    const wrong = await withSecret(profile, 'basic', 'finance-agent', 'wrong');
    expect([wrong.status, wrong.body.error]).toEqual([401, 'invalid_client']);
    const unknown = await withSecret(profile, 'post', 'nobody', 'x');
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({
      errorCode: 'invalid_client',
      errorSummary: expect.any(String),
      errorLink: 'invalid_client',
      errorCauses: [],
    });
    expect(String(unknown.body.errorId)).toMatch(/^oae/);
  });

  it('Entra ID: AADSTS codes with trace and correlation ids', async () => {
    const profile = idp.profile('entraid');
    const wrong = await withSecret(profile, 'post', 'finance-agent', 'wrong');
    expect([wrong.status, wrong.body.error, wrong.body.error_codes]).toEqual([
      401,
      'invalid_client',
      [7000215],
    ]);
    expect(String(wrong.body.error_description)).toMatch(
      /^AADSTS7000215: .* Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: /,
    );
    expect(wrong.body).toHaveProperty('trace_id');
    expect(wrong.body).toHaveProperty('correlation_id');
    const unknown = await withSecret(profile, 'post', 'nobody', 'x');
    expect([unknown.status, unknown.body.error, unknown.body.error_codes]).toEqual([
      400,
      'unauthorized_client',
      [700016],
    ]);
  });

  it('scope and audience rules: Okta requires scope, Entra requires {resource}/.default, Auth0 requires audience, Keycloak rejects unknown scopes', async () => {
    const okta = await withSecret(idp.profile('okta'), 'post', 'finance-agent', undefined, { scope: '' });
    expect([okta.status, okta.body.error]).toEqual([400, 'invalid_scope']);
    expect(String(okta.body.error_description)).toContain("'scope' must be provided");
    const entra = await withSecret(idp.profile('entraid'), 'post', 'finance-agent', undefined, {
      scope: 'finance.read',
    });
    expect([entra.status, entra.body.error, entra.body.error_codes]).toEqual([
      400,
      'invalid_scope',
      [1002012],
    ]);
    const entraResource = await withSecret(idp.profile('entraid'), 'post', 'finance-agent', undefined, {
      scope: 'api://unknown/.default',
    });
    expect([entraResource.status, entraResource.body.error_codes]).toEqual([400, [500011]]);
    const auth0Form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'finance-agent',
      client_secret: agent(idp.profile('auth0')).clientSecret,
    });
    const auth0 = await tokenRequest(idp.profile('auth0'), auth0Form);
    expect([auth0.status, auth0.body.error]).toEqual([403, 'access_denied']);
    const keycloak = await withSecret(idp.profile('keycloak'), 'post', 'finance-agent', undefined, {
      scope: 'finance.read payroll.admin',
    });
    expect([keycloak.status, keycloak.body.error, keycloak.body.error_description]).toEqual([
      400,
      'invalid_scope',
      'Invalid scopes: payroll.admin',
    ]);
  });
});

describe('embedded IdP: pre-approval and the human', () => {
  const agentRefusal: Record<Exclude<Vendor, 'keycloak'>, { status: number; error: string }> = {
    // The Action's api.access.deny('invalid_request', …) (vendors/auth0.ts).
    auth0: { status: 400, error: 'invalid_request' },
    // Okta: no_matching_policy (test/okta-emulation.test.ts pins its text and source).
    okta: { status: 401, error: 'access_denied' },
    entraid: { status: 400, error: 'invalid_grant' },
  };

  it('keycloak issues an agent without its agent role a token without the role, as Keycloak does', async () => {
    const profile = idp.profile('keycloak');
    const result = await withSecret(profile, 'post', 'rogue-agent');
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const { payload } = await verifyToken(profile, result.body.access_token);
    expect((payload.realm_access as { roles: string[] }).roles).not.toContain('FinanceAgent');
  });

  it.each(vendors.filter((vendor) => vendor !== 'keycloak') as Exclude<Vendor, 'keycloak'>[])(
    '%s refuses an agent without its agent role',
    async (vendor) => {
      const result = await withSecret(idp.profile(vendor), 'post', 'rogue-agent');
      expect({ status: result.status, error: result.body.error }).toEqual(agentRefusal[vendor]);
      if (vendor === 'entraid') expect(result.body.error_codes).toEqual([501051]);
    },
  );

  function keycloakActClaims(sub: string, email = 'forged@attacker.example') {
    return {
      act: { sub, email, name: 'Forged Name' },
      delegation: { method: 'explicit', granted_at: Math.floor(Date.now() / 1000) },
      agbac_ver: '1.0',
    };
  }

  it('Keycloak copies act (by id only, as the shipped mapper), delegation and agbac_ver from the verified assertion', async () => {
    const profile = idp.profile('keycloak');
    const alice = human(profile, 'alice');
    for (const method of jwtMethods.keycloak) {
      const result = await withAssertion(profile, { method, claims: keycloakActClaims(alice.id) });
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      const { payload } = await verifyToken(profile, result.body.access_token);
      expect(payload.act).toEqual({ sub: alice.id });
      expect(payload.delegation).toMatchObject({ method: 'explicit' });
      expect(payload.agbac_ver).toBe('1.0');
      expect(JSON.stringify(payload)).not.toContain('forged');
    }
  });

  it.each([
    ['bob', 'lacks the role FinanceUser'],
    ['carol', 'has not approved agent finance-agent'],
  ] as const)(
    'Keycloak refuses a human who %s: a token without act, with dual_auth_refusal',
    async (name, reason) => {
      const profile = idp.profile('keycloak');
      const bobOrCarol = human(profile, name);
      const result = await withAssertion(profile, {
        method: 'client_secret_jwt',
        claims: keycloakActClaims(bobOrCarol.id),
      });
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      const { payload } = await verifyToken(profile, result.body.access_token);
      expect(payload).not.toHaveProperty('act');
      expect(payload).not.toHaveProperty('delegation');
      expect(payload.dual_auth_refusal).toBe(`user ${bobOrCarol.id} ${reason}`);
    },
  );

  it('Keycloak marks an unknown human and a malformed act with dual_auth_refusal', async () => {
    const profile = idp.profile('keycloak');
    const unknown = await withAssertion(profile, {
      method: 'client_secret_jwt',
      claims: keycloakActClaims('00000000-0000-4000-a000-000000000000'),
    });
    expect(unknown.status).toBe(200);
    expect((await verifyToken(profile, unknown.body.access_token)).payload).toMatchObject({
      dual_auth_refusal: 'user 00000000-0000-4000-a000-000000000000 does not exist',
    });
    const malformed = await withAssertion(profile, { method: 'client_secret_jwt', claims: { act: 'alice' } });
    expect(malformed.status).toBe(200);
    const { payload } = await verifyToken(profile, malformed.body.access_token);
    expect(payload).not.toHaveProperty('act');
    expect(payload.dual_auth_refusal).toBe('act in the client assertion is not an object');
  });

  function auth0Human(sub: string) {
    return {
      act: JSON.stringify({ sub, email: 'forged@attacker.example' }),
      delegation: JSON.stringify({ method: 'explicit', granted_at: Math.floor(Date.now() / 1000) }),
      agbac_ver: '1.0',
    };
  }

  it('Auth0 runs the credentials-exchange Action: the human arrives as namespaced claims from the tenant directory', async () => {
    const profile = idp.profile('auth0');
    const alice = human(profile, 'alice');
    const result = await withSecret(profile, 'post', 'finance-agent', undefined, auth0Human(alice.id));
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const { payload } = await verifyToken(profile, result.body.access_token);
    // By id only, as the shipped Action: minimum disclosure.
    expect(payload['https://dual-auth.dev/act']).toEqual({ sub: alice.id });
    expect(payload['https://dual-auth.dev/delegation']).toMatchObject({ method: 'explicit' });
    expect(payload['https://dual-auth.dev/agbac_ver']).toBe('1.0');
    expect(payload).not.toHaveProperty('act');
  });

  it.each(['bob', 'carol'] as const)('Auth0 refuses human %s with 400 invalid_request', async (name) => {
    const profile = idp.profile('auth0');
    const result = await withSecret(
      profile,
      'post',
      'finance-agent',
      undefined,
      auth0Human(human(profile, name).id),
    );
    expect([result.status, result.body.error]).toEqual([400, 'invalid_request']);
  });

  it('Auth0 silently drops restricted claims such as act, and keeps namespaced ones', async () => {
    const local = await startEmbeddedIdp({
      vendors: ['auth0'],
      auth0Action: (_event, api) => {
        api.accessToken.setCustomClaim('act', { sub: 'should-be-dropped' });
        api.accessToken.setCustomClaim('may_act', { sub: 'dropped-too' });
        api.accessToken.setCustomClaim('gty', 'forged');
        api.accessToken.setCustomClaim('https://example.com/act', { sub: 'kept' });
      },
    });
    try {
      const profile = local.profile('auth0');
      const result = await withSecret(profile, 'post');
      expect(result.status).toBe(200);
      const { payload } = await verifyToken(profile, result.body.access_token);
      expect(payload).not.toHaveProperty('act');
      expect(payload).not.toHaveProperty('may_act');
      expect(payload.gty).toBe('client-credentials');
      expect(payload['https://example.com/act']).toEqual({ sub: 'kept' });
    } finally {
      await local.close();
    }
  });

  it('Keycloak without the act mapper (keycloakActMapper: false) issues tokens without the human', async () => {
    const local = await startEmbeddedIdp({ vendors: ['keycloak'], keycloakActMapper: false });
    try {
      const profile = local.profile('keycloak');
      const carol = human(profile, 'carol');
      const result = await withAssertion(profile, {
        method: 'client_secret_jwt',
        claims: keycloakActClaims(carol.id),
      });
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      const { payload } = await verifyToken(profile, result.body.access_token);
      expect(payload).not.toHaveProperty('act');
      expect(payload).not.toHaveProperty('delegation');
      expect(payload).not.toHaveProperty('agbac_ver');
      const rogue = await withSecret(profile, 'post', 'rogue-agent');
      expect(rogue.status).toBe(200);
      expect((await verifyToken(profile, rogue.body.access_token)).payload).not.toHaveProperty(
        'dual_auth_refusal',
      );
    } finally {
      await local.close();
    }
  });

  it.each(['okta', 'entraid'] as const)('%s never adds request-time claims', async (vendor) => {
    const profile = idp.profile(vendor);
    const alice = human(profile, 'alice');
    const result = await withAssertion(
      profile,
      { method: 'private_key_jwt', claims: keycloakActClaims(alice.id) },
      auth0Human(alice.id),
    );
    expect(result.status).toBe(200);
    const { payload } = await verifyToken(profile, result.body.access_token);
    expect(JSON.stringify(payload)).not.toContain(alice.id);
    expect(payload).not.toHaveProperty('act');
  });
});

describe('embedded IdP: directory endpoints', () => {
  const paths: Record<Vendor, (id: string) => string> = {
    keycloak: (id) => `/users/${encodeURIComponent(id)}/role-mappings/realm`,
    auth0: (id) => `/users/${encodeURIComponent(id)}/roles`,
    okta: (id) => `/users/${encodeURIComponent(id)}/groups`,
    entraid: (id) => `/users/${encodeURIComponent(id)}/appRoleAssignments`,
  };

  async function readerToken(profile: IdpProfile, clientId = 'directory-reader'): Promise<string> {
    const result = await withSecret(profile, 'post', clientId);
    expect(result.status).toBe(200);
    return String(result.body.access_token);
  }

  it.each(vendors)(
    "%s serves a human's roles in the vendor's admin-API shape to a directory reader",
    async (vendor) => {
      const profile = idp.profile(vendor);
      const alice = human(profile, 'alice');
      const response = await fetch(`${profile.directoryUrl}${paths[vendor](alice.id)}`, {
        headers: { authorization: `Bearer ${await readerToken(profile)}` },
      });
      expect(response.status).toBe(200);
      const body = await response.json();
      const names =
        vendor === 'keycloak' || vendor === 'auth0'
          ? (body as { name: string }[]).map((role) => role.name)
          : vendor === 'okta'
            ? (body as { profile: { name: string } }[]).map((group) => group.profile.name)
            : (body as { value: { principalId: string }[] }).value.map(
                (assignment) => assignment.principalId,
              );
      expect(names).toEqual(vendor === 'entraid' ? [alice.id] : ['FinanceUser']);
    },
  );

  it.each(vendors)(
    '%s protects the directory: no token 401, an agent token 403, an unknown user 404',
    async (vendor) => {
      const profile = idp.profile(vendor);
      const url = `${profile.directoryUrl}${paths[vendor](human(profile, 'alice').id)}`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer not.a.token' } })).status).toBe(401);
      const agentToken = await readerToken(profile, 'finance-agent');
      expect((await fetch(url, { headers: { authorization: `Bearer ${agentToken}` } })).status).toBe(403);
      const unknown = `${profile.directoryUrl}${paths[vendor]('no-such-user')}`;
      expect(
        (await fetch(unknown, { headers: { authorization: `Bearer ${await readerToken(profile)}` } })).status,
      ).toBe(404);
    },
  );
});

describe('embedded IdP: fault injection', () => {
  // Each vendor's own 429 (headers, body, sources): rate-limits.test.ts.
  it('rate-limits the next requests, then recovers', async () => {
    const auth0 = idp.profile('auth0');
    auth0.faults.rateLimitNext(1, 7);
    expect((await withSecret(auth0, 'post')).status).toBe(429);
    expect((await withSecret(auth0, 'post')).status).toBe(200);
  });

  it('fails the next requests with a 5xx, then recovers', async () => {
    const profile = idp.profile('keycloak');
    profile.faults.failNext(2, 502);
    expect((await withSecret(profile, 'post')).status).toBe(502);
    expect((await withSecret(profile, 'post')).status).toBe(502);
    expect((await withSecret(profile, 'post')).status).toBe(200);
  });

  it('drops connections without an answer', async () => {
    const profile = idp.profile('okta');
    profile.faults.dropNext(1);
    await expect(withSecret(profile, 'post')).rejects.toThrow();
    expect((await withSecret(profile, 'post')).status).toBe(200);
  });

  it.each(['not-json', 'truncated-json', 'wrong-content-type', 'oversized', 'missing-token'] as const)(
    'sends a malformed 200 body: %s',
    async (kind) => {
      const profile = idp.profile('entraid');
      profile.faults.garbleNext(1, kind);
      const result = await withSecret(profile, 'post');
      expect(result.status).toBe(200);
      expect(typeof result.body.access_token === 'string' && result.body.access_token.length < 10_000).toBe(
        false,
      );
    },
  );

  it('adds latency', async () => {
    const profile = idp.profile('auth0');
    profile.faults.delay(150);
    const started = performance.now();
    await withSecret(profile, 'post');
    profile.faults.reset();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('rotates the signing key: new tokens carry the new kid, the JWKS keeps the old key unless dropped', async () => {
    const local = await startEmbeddedIdp({ vendors: ['okta'] });
    try {
      const profile = local.profile('okta');
      const before = await withSecret(profile, 'post');
      const oldKid = decodeProtectedHeader(String(before.body.access_token)).kid;
      await profile.faults.rotateSigningKey();
      const after = await withSecret(profile, 'post');
      const newKid = decodeProtectedHeader(String(after.body.access_token)).kid;
      expect(newKid).not.toBe(oldKid);
      let kids = ((await (await fetch(profile.jwksUri)).json()) as { keys: { kid: string }[] }).keys.map(
        (key) => key.kid,
      );
      expect(kids).toEqual([newKid, oldKid]);
      await verifyToken(profile, before.body.access_token);
      await profile.faults.rotateSigningKey({ dropOld: true });
      kids = ((await (await fetch(profile.jwksUri)).json()) as { keys: { kid: string }[] }).keys.map(
        (key) => key.kid,
      );
      expect(kids).toHaveLength(1);
      expect(kids).not.toContain(oldKid);
    } finally {
      await local.close();
    }
  });

  it('counts token requests per profile', async () => {
    const profile = idp.profile('keycloak');
    const before = profile.tokenRequestCount();
    await withSecret(profile, 'post');
    await withSecret(profile, 'post', 'finance-agent', 'wrong');
    expect(profile.tokenRequestCount()).toBe(before + 2);
  });
});

describe('embedded IdP: plain HTTP and shutdown', () => {
  it('serves over http when asked, and frees its port on close', async () => {
    const local = await startEmbeddedIdp({ vendors: ['keycloak'], https: false });
    const profile = local.profile('keycloak');
    expect(profile.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/realms\/dual-auth$/);
    expect(local.ca).toBeUndefined();
    expect((await withSecret(profile, 'post')).status).toBe(200);
    await local.close();
    await expect(fetch(profile.tokenEndpoint, { method: 'POST' })).rejects.toThrow();
    expect(() => local.profile('okta')).toThrow(TypeError);
  });
});
