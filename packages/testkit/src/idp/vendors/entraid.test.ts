// The Entra ID profile against Microsoft's documented rules, with plain fetch and jose. Sources:
// - access-token-claims-reference: https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference
// - optional-claims-reference: https://learn.microsoft.com/entra/identity-platform/optional-claims-reference
// - certificate-credentials: https://learn.microsoft.com/entra/identity-platform/certificate-credentials
// - MSAL Node's assertion: https://github.com/AzureAD/microsoft-authentication-library-for-js/blob/dev/lib/msal-node/src/client/ClientAssertion.ts
// - AADSTS700027 wording: https://github.com/AzureAD/microsoft-authentication-library-for-js/issues/8339
// - AADSTS50027 wording: https://github.com/AzureAD/microsoft-authentication-library-for-dotnet/issues/124
import { createHash } from 'node:crypto';
import {
  createLocalJWKSet,
  decodeJwt,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultIdpFixture } from '../default-fixture.ts';
import { startEmbeddedIdp } from '../start-embedded-idp.ts';
import type { AgentFixture, IdpProfile } from '../types.ts';
import { useEmbeddedIdp } from '../use-embedded-idp.ts';
import { entraApiApplicationId } from './entraid.ts';

const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const idp = useEmbeddedIdp({ vendors: ['entraid'] });
let entra: IdpProfile;
beforeAll(() => {
  entra = idp.profile('entraid');
});

function agent(clientId = 'finance-agent'): AgentFixture {
  const found = entra.agents.find((candidate) => candidate.clientId === clientId);
  if (found?.privateJwk === undefined) throw new Error(`fixture agent ${clientId} has no key`);
  return found;
}

function sha1Thumbprint(jwk: JWK): string {
  const [certificate] = jwk.x5c ?? [];
  if (certificate === undefined) throw new Error('the fixture key has no certificate');
  return createHash('sha1').update(Buffer.from(certificate, 'base64')).digest('base64url');
}

interface AssertionOptions {
  readonly header?: Record<string, unknown>;
  readonly issuedAt?: boolean;
  readonly lifetimeSeconds?: number;
  readonly signer?: AgentFixture;
  readonly alg?: string;
}

async function certificateAssertion(options: AssertionOptions = {}): Promise<string> {
  const client = agent();
  const signer = options.signer ?? client;
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ nbf: now })
    .setProtectedHeader({ alg: options.alg ?? 'PS256', typ: 'JWT', ...options.header })
    .setIssuer(client.clientId)
    .setSubject(client.clientId)
    .setAudience(entra.tokenEndpoint)
    .setExpirationTime(now + (options.lifetimeSeconds ?? 600))
    .setJti(crypto.randomUUID());
  if (options.issuedAt !== false) jwt.setIssuedAt(now);
  return jwt.sign(await importJWK(signer.privateJwk as JWK, options.alg ?? 'PS256'));
}

async function tokenRequest(form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(entra.tokenEndpoint, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: entra.scope.join(' '), ...form }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const withAssertion = async (options: AssertionOptions = {}) =>
  tokenRequest({
    client_assertion_type: assertionType,
    client_assertion: await certificateAssertion(options),
  });

const registeredThumbprint = () => ({ 'x5t#S256': String(agent().publicJwk?.['x5t#S256']) });

async function verifiedPayload(accessToken: unknown) {
  const jwks = (await (await fetch(entra.jwksUri)).json()) as JSONWebKeySet;
  const { payload } = await jwtVerify(String(accessToken), createLocalJWKSet(jwks), {
    issuer: entra.issuer,
    audience: entra.audience,
  });
  return payload;
}

describe('Entra ID profile: v2.0 access tokens', () => {
  it('puts the API application client id (a GUID) in aud, not the Application ID URI of scope (access-token-claims-reference, aud)', async () => {
    const fixture = defaultIdpFixture();
    expect(entra.scope).toEqual([`${fixture.api.identifier}/.default`]);
    expect(entra.audience).toMatch(guid);
    expect(entra.audience).toBe(entraApiApplicationId(fixture.api));
    const result = await tokenRequest({ client_id: 'finance-agent', client_secret: agent().clientSecret });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const claims = decodeJwt(String(result.body.access_token));
    expect(claims.aud).toBe(entra.audience);
    expect(claims.aud).not.toBe(fixture.api.identifier);
    expect(claims.ver).toBe('2.0');
    await verifiedPayload(result.body.access_token);
  });

  it('gives another API its own client id', () => {
    const fixture = defaultIdpFixture();
    const other = entraApiApplicationId({ ...fixture.api, identifier: 'api://payroll' });
    expect(other).toMatch(guid);
    expect(other).not.toBe(entraApiApplicationId(fixture.api));
  });

  it('sets azpacr 1 for a client secret, post or basic (access-token-claims-reference, azpacr)', async () => {
    const { clientSecret } = agent();
    const post = await tokenRequest({ client_id: 'finance-agent', client_secret: clientSecret });
    const basic = await tokenRequest(
      {},
      { authorization: `Basic ${Buffer.from(`finance-agent:${clientSecret}`).toString('base64')}` },
    );
    for (const result of [post, basic]) {
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      expect((await verifiedPayload(result.body.access_token)).azpacr).toBe('1');
    }
  });

  it('sets azpacr 2 for a certificate client assertion (access-token-claims-reference, azpacr)', async () => {
    const result = await withAssertion({ header: registeredThumbprint() });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect((await verifiedPayload(result.body.access_token)).azpacr).toBe('2');
  });

  it('sends no idtyp: an optional claim the API registration must ask for (optional-claims-reference, idtyp)', async () => {
    const result = await tokenRequest({ client_id: 'finance-agent', client_secret: agent().clientSecret });
    const payload = await verifiedPayload(result.body.access_token);
    expect(payload).not.toHaveProperty('idtyp');
    expect(payload).toMatchObject({ azp: 'finance-agent', roles: ['FinanceAgent'], oid: payload.sub });
    expect(payload).not.toHaveProperty('scp');
    expect(payload).not.toHaveProperty('scope');
  });
});

describe('Entra ID profile: certificate client assertions (certificate-credentials, Header)', () => {
  it('finds the registered certificate by x5t#S256', async () => {
    expect((await withAssertion({ header: registeredThumbprint() })).status).toBe(200);
  });

  it('finds it by the legacy SHA-1 x5t too', async () => {
    const x5t = sha1Thumbprint(agent().publicJwk as JWK);
    expect((await withAssertion({ header: { x5t } })).status).toBe(200);
  });

  it('refuses an assertion without a thumbprint: 401 invalid_client AADSTS50027', async () => {
    const result = await withAssertion();
    expect([result.status, result.body.error, result.body.error_codes]).toEqual([
      401,
      'invalid_client',
      [50027],
    ]);
    expect(String(result.body.error_description)).toMatch(
      /^AADSTS50027: Invalid JWT token\. No certificate thumbprint specified in token header\. Trace ID: /,
    );
  });

  it('refuses a thumbprint of no registered certificate: 401 invalid_client AADSTS700027, key not found', async () => {
    const other = String(agent('rogue-agent').publicJwk?.['x5t#S256']);
    const result = await withAssertion({ header: { 'x5t#S256': other } });
    expect([result.status, result.body.error, result.body.error_codes]).toEqual([
      401,
      'invalid_client',
      [700027],
    ]);
    const description = String(result.body.error_description);
    expect(description).toContain(
      'AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: ',
    );
    expect(description).toContain(Buffer.from(other, 'base64url').toString('hex').toUpperCase());
    expect(description).toContain("app Id 'finance-agent'");
  });

  it('refuses a registered thumbprint on an assertion signed by another key: AADSTS700027', async () => {
    const result = await withAssertion({ header: registeredThumbprint(), signer: agent('rogue-agent') });
    expect([result.status, result.body.error, result.body.error_codes]).toEqual([
      401,
      'invalid_client',
      [700027],
    ]);
  });

  it('refuses a client without a registered certificate, whatever thumbprint it sends', async () => {
    const fixture = defaultIdpFixture();
    const { x5c: _x5c, 'x5t#S256': _thumbprint, ...bare } = agent().publicJwk as JWK;
    const local = await startEmbeddedIdp({
      vendors: ['entraid'],
      fixture: {
        ...fixture,
        agents: fixture.agents.map((entry) =>
          entry.clientId === 'finance-agent' ? { ...entry, publicJwk: bare } : entry,
        ),
      },
    });
    const saved = entra;
    const header = registeredThumbprint();
    try {
      entra = local.profile('entraid');
      const result = await withAssertion({ header });
      expect([result.status, result.body.error_codes]).toEqual([401, [700027]]);
    } finally {
      entra = saved;
      await local.close();
    }
  });

  it('accepts RS256 as well as PS256 (the page names PS256, its earlier versions and MSAL RS256)', async () => {
    const result = await withAssertion({ header: registeredThumbprint(), alg: 'RS256' });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
  });

  // Certificate credentials are RSA; an EC signature gets AADSTS5002730 (wording and code as
  // AzureAD/microsoft-authentication-library-for-dotnet issue #4712 shows them).
  it('refuses an assertion signed with an EC key: 400 invalid_request AADSTS5002730', async () => {
    const fixture = defaultIdpFixture();
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const ecAgent = {
      privateJwk: { ...(await exportJWK(privateKey)), kid: 'ec-1', alg: 'ES256' },
      publicJwk: { ...(await exportJWK(publicKey)), kid: 'ec-1', alg: 'ES256' },
    };
    const local = await startEmbeddedIdp({
      vendors: ['entraid'],
      fixture: {
        ...fixture,
        agents: fixture.agents.map((entry) =>
          entry.clientId === 'finance-agent' ? { ...entry, ...ecAgent } : entry,
        ),
      },
    });
    const saved = entra;
    try {
      entra = local.profile('entraid');
      const result = await withAssertion({ header: registeredThumbprint(), alg: 'ES256' });
      expect([result.status, result.body.error, result.body.error_codes]).toEqual([
        400,
        'invalid_request',
        [5002730],
      ]);
      expect(String(result.body.error_description)).toMatch(
        /^AADSTS5002730: Invalid JWT token\. Unsupported key for the signing algorithm\. Trace ID: /,
      );
    } finally {
      entra = saved;
      await local.close();
    }
  });

  it("accepts MSAL Node's assertion: nbf and exp 600 s on, no iat", async () => {
    const result = await withAssertion({ header: registeredThumbprint(), issuedAt: false });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
  });

  it('sets no limit on the assertion lifetime ("doesn\'t place restrictions on the exp time currently")', async () => {
    const result = await withAssertion({ header: registeredThumbprint(), lifetimeSeconds: 3600 });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
  });
});
