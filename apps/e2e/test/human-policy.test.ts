// Issue 18: presence is never authorization. With real tokens from the embedded IdP: a human no
// check applies to is denied (`human_unchecked`), never allowed; trusting the IdP on the human
// (`humanAuthorizedByIdp`) is refused in the hybrid layout, where the IdP never sees the human, and
// sound in the agbac layout, where the IdP never puts an unapproved human in a token (Auth0 refuses
// the request; Keycloak's mapper, which cannot, issues the token without act).
import { type AuditEvent, type DelegationMode, TokenRequestError, type Vendor } from '@dual-auth/core';
import { HybridSender } from '@dual-auth/sender';
import type { IdpProfile } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiVerifierOptions } from './harness.ts';
import {
  APP_ID,
  agentNamed,
  apiVerifier,
  configFor,
  HUMAN_ROLE,
  humanNamed,
  vendorCases,
} from './harness.ts';

const idp = useEmbeddedIdp();
let sender: HybridSender;
let appKeys: { keys: object[] };

beforeAll(async () => {
  sender = await HybridSender.create({
    privateKey: (await import('node:crypto'))
      .generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString(),
    appId: APP_ID,
  });
  appKeys = (await sender.publicJwks()) as unknown as { keys: object[] };
});

function requestToken(profile: IdpProfile, mode: DelegationMode, humanName: string) {
  const adapter = vendorCases[profile.vendor].createAdapter(
    configFor(profile, agentNamed(profile, 'finance-agent')),
    {
      mode,
      retry: { limit: 0 },
      ...(mode === 'hybrid'
        ? { signActAssertion: sender.createActAssertionSigner({ audience: profile.audience }) }
        : {}),
    },
  );
  const human = humanNamed(profile, humanName);
  return adapter.requestToken({ agentId: 'finance-agent', act: { sub: human.id }, scope: profile.scope });
}

function verifierFor(
  profile: IdpProfile,
  layout: DelegationMode,
  humanPolicy: NonNullable<ApiVerifierOptions['humanPolicy']>,
  audits: AuditEvent[] = [],
) {
  return apiVerifier({ profile, layout, appKeys, humanPolicy, audit: (event) => void audits.push(event) });
}

const hybridVendors: readonly Vendor[] = ['keycloak', 'auth0', 'okta', 'entraid'];

describe.each(hybridVendors)('%s, hybrid layout', (vendor) => {
  it('refuses humanAuthorizedByIdp: the IdP never sees the human', () => {
    expect(() => verifierFor(idp.profile(vendor), 'hybrid', { humanAuthorizedByIdp: true })).toThrow(
      /humanAuthorizedByIdp is not allowed with layout hybrid: the IdP never sees the human/,
    );
  });

  it('denies bob (no FinanceUser role) human_unchecked where the route requires no human role', async () => {
    const profile = idp.profile(vendor);
    const audits: AuditEvent[] = [];
    const verifier = verifierFor(profile, 'hybrid', { humanRolesClaim: 'roles' }, audits);
    const tokenResponse = await requestToken(profile, 'hybrid', 'bob');
    const bob = humanNamed(profile, 'bob');
    const credentials = {
      authorization: `Bearer ${tokenResponse.accessToken}`,
      actAssertion: tokenResponse.actAssertion,
    };
    const agentOnly = vendorCases[vendor].agentRequirement;
    const decision = await verifier.verify(credentials, agentOnly);
    expect(decision).toMatchObject({
      allow: false,
      code: 'human_unchecked',
      status: 403,
      agent: { id: 'finance-agent' },
      human: { id: bob.id },
      subjects: { agent: { ok: true }, human: { ok: false } },
    });
    expect(audits.at(-1)).toMatchObject({ decision: 'deny', denial: 'human_unchecked', humanId: bob.id });
    // Where the route does require the role, the same claim decides: bob lacks it.
    const checked = await verifier.verify(credentials, { ...agentOnly, humanRoles: [HUMAN_ROLE] });
    expect(checked).toMatchObject({
      allow: false,
      code: 'human_denied',
      subjects: { human: { checkedBy: 'roles' } },
    });
  });
});

describe.each(['keycloak', 'auth0'] as const)('%s, agbac layout, humanAuthorizedByIdp', (vendor) => {
  it('allows alice on the IdP’s word, and bob never reaches the API as a human', async () => {
    const profile = idp.profile(vendor);
    const verifier = verifierFor(profile, 'agbac', { humanAuthorizedByIdp: true });
    const alice = await requestToken(profile, 'agbac', 'alice');
    const decision = await verifier.verify(
      { authorization: `Bearer ${alice.accessToken}` },
      vendorCases[vendor].agentRequirement,
    );
    expect(decision).toMatchObject({
      allow: true,
      human: { id: humanNamed(profile, 'alice').id },
      subjects: {
        human: { ok: true, reason: 'authorized by the IdP (humanAuthorizedByIdp)', checkedBy: 'idp' },
      },
    });
    if (vendor === 'auth0') {
      await expect(requestToken(profile, 'agbac', 'bob')).rejects.toBeInstanceOf(TokenRequestError);
      return;
    }
    const bob = await requestToken(profile, 'agbac', 'bob');
    expect(
      await verifier.verify(
        { authorization: `Bearer ${bob.accessToken}` },
        vendorCases[vendor].agentRequirement,
      ),
    ).toMatchObject({
      allow: false,
      code: 'token_invalid',
      reason: 'access token has no human (act claim missing)',
    });
  });
});
