// Where Okta puts an agent's roles. A client-credentials token has no user ("The Client Credentials
// flow never has a user context", okta/okta-developer-docs docs/guides/implement-grant-type, Client
// Credentials, "Create custom scopes"), and a groups claim lists a user's groups
// (docs/guides/customize-tokens-groups-claim), so real agent tokens carry no `groups`. What Okta puts
// there is `scp`, the custom scopes the access-policy rule granted (docs/concepts/oauth-claims,
// "Claims in access tokens"), and custom claims the authorization server defines, e.g. the
// expression `app.profile.…` (docs/guides/customize-tokens-returned-from-okta, "Include
// app-specific information in a custom claim").
import { describe, expect, it } from 'vitest';
import { createStaticHumanAuthorizer } from '../src/create-static-human-authorizer.ts';
import { createVerifier } from '../src/create-verifier.ts';
import { oktaVendorProfile, vendorProfiles } from '../src/vendor-profile.ts';
import {
  actAssertion,
  agentIdOf,
  HUMAN,
  mint,
  shapeVerifierOptions,
  testKey,
  vendorShapes,
} from './fixtures.ts';

const idpKey = testKey('RS256', 'idp-okta');
const appKey = testKey('ES256', 'app-okta');
const shape = vendorShapes.find((candidate) => candidate.vendor === 'okta');
if (shape === undefined) throw new Error('okta shape missing');
const humanAuthorizer = createStaticHumanAuthorizer({ [HUMAN]: { roles: ['finance'], agents: '*' } });

function request(claims: Record<string, unknown>) {
  const token = mint(idpKey, { ...shape?.agentClaims(true), ...claims }, { typ: undefined });
  return {
    authorization: `Bearer ${token}`,
    actAssertion: actAssertion(appKey, token, {
      clientId: agentIdOf(shape as NonNullable<typeof shape>),
      audience: shape?.audience ?? '',
    }),
  };
}

function verifierWith(vendor = oktaVendorProfile()) {
  return createVerifier({
    ...shapeVerifierOptions({ idpKey, appKey }, shape as NonNullable<typeof shape>, 'hybrid'),
    vendor,
    humanAuthorizer,
  });
}

describe('Okta profile: agent roles', () => {
  it('reads roles from scp, the scopes the access-policy rule granted', async () => {
    const decision = await verifierWith(vendorProfiles.okta).verify(request({ scp: ['finance.read'] }), {
      agentRoles: ['finance.read'],
      humanRoles: ['finance'],
    });
    expect(decision.allow, JSON.stringify(decision)).toBe(true);
    expect(decision.agent?.roles).toEqual(['finance.read']);
  });

  it('never reads groups: a groups claim in an agent token grants no role', async () => {
    const decision = await verifierWith(vendorProfiles.okta).verify(
      request({ scp: ['profile'], groups: ['FinanceAgent'] }),
      { agentRoles: ['FinanceAgent'], humanRoles: ['finance'] },
    );
    expect(decision.allow).toBe(false);
    expect(decision.allow ? undefined : decision.code).toBe('agent_denied');
    expect(decision.subjects.agent).toMatchObject({ ok: false, reason: 'the agent lacks role FinanceAgent' });
  });

  it('adds the roles of a configured custom claim (array or space-separated) after scp', async () => {
    const verifier = verifierWith(oktaVendorProfile({ rolesClaim: 'agent_roles' }));
    for (const agentRoles of [['FinanceAgent', 'Reporting'], 'FinanceAgent Reporting']) {
      const decision = await verifier.verify(request({ scp: ['finance.read'], agent_roles: agentRoles }), {
        agentRoles: ['FinanceAgent'],
        humanRoles: ['finance'],
      });
      expect(decision.allow, JSON.stringify(decision)).toBe(true);
      expect(decision.agent?.roles).toEqual(['finance.read', 'FinanceAgent', 'Reporting']);
    }
  });

  it('ignores the custom claim unless configured', async () => {
    const decision = await verifierWith().verify(
      request({ scp: ['finance.read'], agent_roles: ['FinanceAgent'] }),
      { agentRoles: ['FinanceAgent'], humanRoles: ['finance'] },
    );
    expect(decision.allow).toBe(false);
  });

  it('refuses a rolesClaim that is not a non-empty claim name', () => {
    for (const rolesClaim of ['', '  ', 7 as unknown as string]) {
      expect(() => oktaVendorProfile({ rolesClaim })).toThrow(TypeError);
    }
  });
});
