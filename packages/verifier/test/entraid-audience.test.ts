// Entra ID v2.0 access tokens carry the API's Application (client) ID in aud, never the Application
// ID URI the client put in scope ("In v2.0 tokens, this value is always the client ID of the API":
// https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference, aud). An API
// configured with the URI refuses every real token; with the client id, it accepts them.

import { generateKeyPairSync } from 'node:crypto';
import { defaultIdpFixture, type IdpProfile } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '../src/create-verifier.ts';

const idp = useEmbeddedIdp({ vendors: ['entraid'] });
let entra: IdpProfile;
let accessToken: string;

beforeAll(async () => {
  entra = idp.profile('entraid');
  const agent = entra.agents.find((candidate) => candidate.clientId === 'finance-agent');
  const response = await fetch(entra.tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'finance-agent',
      client_secret: agent?.clientSecret ?? '',
      scope: entra.scope.join(' '),
    }),
  });
  accessToken = String(((await response.json()) as { access_token?: unknown }).access_token);
});

async function decide(audience: string) {
  const { publicKey } = generateKeyPairSync('ed25519');
  const verifier = createVerifier({
    issuer: entra.issuer,
    audience,
    jwksUri: entra.jwksUri,
    vendor: 'entraid',
    layout: 'hybrid',
    hybrid: { keys: publicKey, issuer: 'https://app.dual-auth.test' },
    humanRolesClaim: 'roles',
  });
  return verifier.verify({ authorization: `Bearer ${accessToken}` }, { agentRoles: ['FinanceAgent'] });
}

describe('verifier: Entra ID audience', () => {
  it('refuses an Entra token when the audience is the Application ID URI', async () => {
    const decision = await decide(defaultIdpFixture().api.identifier);
    expect(decision.allow).toBe(false);
    expect(decision.subjects.agent).toMatchObject({ ok: false, reason: expect.stringMatching(/audience/) });
  });

  it("verifies the token when the audience is the API app's client id, then asks for the act assertion", async () => {
    expect(entra.audience).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const decision = await decide(entra.audience);
    expect(decision.subjects.agent).toMatchObject({ ok: true });
    expect(decision.allow ? undefined : decision.reason).toMatch(/act assertion/i);
  });
});
