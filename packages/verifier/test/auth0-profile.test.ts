// Where Auth0 puts an agent's roles. An M2M (client-credentials) token's `scope` holds every scope
// of the client grant, whatever was requested ("the scopes returned will always be the full set of
// authorized scopes for the M2M app": https://support.auth0.com/center/s/article/Fetching-an-M2M-token-returns-all-granted-scopes-permissions-instead-of-requested-scopes),
// and with RBAC's "Add Permissions in the Access Token" (dialects access_token_authz,
// rfc9068_profile_authz) `permissions` holds them too
// (https://auth0.com/docs/get-started/apis/enable-role-based-access-control-for-apis).
import { describe, expect, it } from 'vitest';
import { vendorProfiles } from '../src/vendor-profile.ts';

const auth0 = vendorProfiles.auth0;
const m2m = { sub: 'agent@clients', azp: 'agent', gty: 'client-credentials' };

describe('Auth0 profile: agent roles', () => {
  it('reads the granted scopes from permissions', () => {
    const claims = {
      ...m2m,
      scope: 'finance.read FinanceAgent',
      permissions: ['finance.read', 'FinanceAgent'],
    };
    expect(auth0.agentRoles(claims, [])).toEqual(['finance.read', 'FinanceAgent']);
    expect(auth0.agentScopes(claims)).toEqual(['finance.read', 'FinanceAgent']);
  });

  it('reads them from scope when the API does not add permissions to the token', () => {
    expect(auth0.agentRoles({ ...m2m, scope: 'finance.read FinanceAgent' }, [])).toEqual([
      'finance.read',
      'FinanceAgent',
    ]);
  });

  it('takes permissions as they are when present, and no roles from a user token without them', () => {
    expect(auth0.agentRoles({ ...m2m, scope: 'finance.read FinanceAgent', permissions: [] }, [])).toEqual([]);
    expect(
      auth0.agentRoles({ sub: 'auth0|alice', azp: 'web-app', scope: 'openid FinanceAgent' }, []),
    ).toEqual([]);
  });
});
