// The live contract suite run on every `npm test` against the embedded IdP's Auth0, Okta and Entra
// ID profiles, its DUAL_AUTH_LIVE_<VENDOR>_* variables pointing there as a user points them at a
// tenant (docs/live-tests.md). It proves the live path end to end, and that the emulation answers
// as the refusals the live suite expects of the real vendors (Keycloak runs against the real one:
// test/real-keycloak/live-suite.test.ts).
import type { Vendor } from '@dual-auth/core';
import { type IdpProfile, startEmbeddedIdp } from '@dual-auth/testkit';
import { afterAll } from 'vitest';
import { agentNamed, humanNamed } from './harness.ts';
import { describeLiveTenant } from './live/describe-live-tenant.ts';

const vendors = ['auth0', 'okta', 'entraid'] satisfies Vendor[];
const idp = await startEmbeddedIdp({ vendors });
afterAll(() => idp.close());

function liveVariables(profile: IdpProfile): Record<string, string> {
  const prefix = `DUAL_AUTH_LIVE_${profile.vendor.toUpperCase()}_`;
  const agbac = profile.vendor === 'auth0';
  return {
    [`${prefix}ISSUER`]: profile.issuer,
    [`${prefix}AUDIENCE`]: profile.audience,
    ...(profile.scope.length === 0 ? {} : { [`${prefix}SCOPE`]: profile.scope.join(' ') }),
    [`${prefix}AGENT_CLIENT_ID`]: 'finance-agent',
    [`${prefix}AGENT_CLIENT_SECRET`]: agentNamed(profile, 'finance-agent').clientSecret,
    [`${prefix}ROGUE_CLIENT_ID`]: 'rogue-agent',
    [`${prefix}ROGUE_CLIENT_SECRET`]: agentNamed(profile, 'rogue-agent').clientSecret,
    [`${prefix}APPROVED_HUMAN`]: humanNamed(profile, 'alice').id,
    // bob lacks the human role, carol has not approved finance-agent.
    ...(agbac
      ? { [`${prefix}REFUSED_HUMANS`]: `${humanNamed(profile, 'bob').id},${humanNamed(profile, 'carol').id}` }
      : {}),
  };
}

for (const vendor of vendors) describeLiveTenant(vendor, liveVariables(idp.profile(vendor)));
