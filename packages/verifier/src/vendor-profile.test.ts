import { describe, expect, it } from 'vitest';
import { vendorProfiles } from './vendor-profile.ts';

const keycloak = vendorProfiles.keycloak;

describe('the Keycloak profile: agent roles', () => {
  it('reads realm roles, then each audience client’s roles, then the azp client’s', () => {
    const claims = {
      azp: 'finance-agent',
      realm_access: { roles: ['finance.read'] },
      resource_access: {
        'finance-api': { roles: ['reports.read'] },
        'finance-agent': { roles: ['self.read'] },
        account: { roles: ['manage-account'] },
      },
    };
    expect(keycloak.agentRoles(claims, ['finance-api'])).toEqual([
      'finance.read',
      'reports.read',
      'self.read',
    ]);
  });

  it('keeps only strings, wherever the roles come from', () => {
    const claims = {
      realm_access: { roles: ['finance.read', 7, null] },
      resource_access: { 'finance-api': { roles: [{ role: 'x' }, 'reports.read'] } },
    };
    expect(keycloak.agentRoles(claims, ['finance-api'])).toEqual(['finance.read', 'reports.read']);
    expect(keycloak.agentRoles({ realm_access: { roles: 'finance.read' } }, [])).toEqual([]);
    expect(keycloak.agentRoles({ realm_access: [] }, [])).toEqual([]);
  });

  it('reads the roles of one source without copying them, and never changes the claims', () => {
    const roles = ['finance.read', 'offline_access'];
    const claims = { realm_access: { roles }, resource_access: { account: { roles: ['view-profile'] } } };
    expect(keycloak.agentRoles(claims, ['finance-api'])).toBe(roles);
    const joined = keycloak.agentRoles(
      { ...claims, resource_access: { 'finance-api': { roles: ['reports.read'] } } },
      ['finance-api'],
    );
    expect(joined).toEqual(['finance.read', 'offline_access', 'reports.read']);
    expect(roles).toEqual(['finance.read', 'offline_access']);
  });
});

describe('the Keycloak profile: agent scopes', () => {
  it.each([
    ['profile email', ['profile', 'email']],
    ['  profile   email ', ['profile', 'email']],
    ['profile', ['profile']],
    ['', []],
    ['   ', []],
  ])('reads %j as a space-separated list', (scope, expected) => {
    expect(keycloak.agentScopes({ scope })).toEqual(expected);
  });

  it('reads a list of strings as it is, and anything else as no scope', () => {
    expect(keycloak.agentScopes({ scope: ['a', 7, 'b'] })).toEqual(['a', 'b']);
    expect(keycloak.agentScopes({ scope: 7 })).toEqual([]);
    expect(keycloak.agentScopes({})).toEqual([]);
  });
});
