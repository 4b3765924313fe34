import { describe, expect, it } from 'vitest';
import { liveTenantHosts } from './live-tenant-hosts.ts';

const okta = {
  DUAL_AUTH_LIVE_OKTA_ISSUER: 'https://Example.okta.com/oauth2/aus1',
  DUAL_AUTH_LIVE_OKTA_AUDIENCE: 'api://finance',
  DUAL_AUTH_LIVE_OKTA_AGENT_CLIENT_ID: '0oa-agent',
  DUAL_AUTH_LIVE_OKTA_AGENT_CLIENT_SECRET: 'secret-a',
  DUAL_AUTH_LIVE_OKTA_ROGUE_CLIENT_ID: '0oa-rogue',
  DUAL_AUTH_LIVE_OKTA_ROGUE_CLIENT_SECRET: 'secret-b',
};

describe('liveTenantHosts', () => {
  it('opens nothing without live variables', () => {
    expect(liveTenantHosts({ KEYCLOAK_TOKEN_URL: 'https://sso.example.com/realms/x/token' })).toEqual([]);
  });

  it("opens the issuer's host of each fully configured tenant", () => {
    expect(liveTenantHosts(okta)).toEqual(['example.okta.com']);
  });

  it('opens nothing for a partly configured tenant', () => {
    const { DUAL_AUTH_LIVE_OKTA_ROGUE_CLIENT_ID: _, ...partial } = okta;
    expect(
      liveTenantHosts({ ...partial, DUAL_AUTH_LIVE_AUTH0_ISSUER: 'https://example.eu.auth0.com/' }),
    ).toEqual([]);
  });
});
