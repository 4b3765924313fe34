import { describe, expect, it } from 'vitest';
import {
  auth0AssertionAlgorithmFailure,
  auth0AssertionTimingFailure,
  auth0ClientGrantScopes,
  auth0DenialResponse,
  auth0DenyCode,
  auth0KeepsCustomClaim,
  auth0RestrictedClaims,
  auth0ScopeRefusal,
} from './auth0.ts';

describe("Auth0's rules", () => {
  // Sources: Management API ClientCredentialAlgorithmEnum, "Supported algorithms: RS256,RS384,PS256"
  // (https://auth0.github.io/node-auth0/types/index.Management.ClientCredentialAlgorithmEnum.html), and
  // "alg … must match the algorithm specified when you created your application credential"
  // (https://auth0.com/docs/get-started/authentication-and-authorization-flow/authenticate-with-private-key-jwt).
  it('accepts private_key_jwt assertions signed RS256, RS384 or PS256 only', () => {
    for (const alg of ['RS256', 'RS384', 'PS256'])
      expect(auth0AssertionAlgorithmFailure({ alg })).toBeUndefined();
    for (const alg of ['ES256', 'EdDSA', 'RS512', 'PS384', 'HS256', undefined]) {
      expect(auth0AssertionAlgorithmFailure({ alg })).toBe(
        `client_assertion alg ${alg} is not RS256, RS384 or PS256`,
      );
    }
    expect(auth0AssertionAlgorithmFailure({ alg: 'PS256' }, 'RS256')).toBe(
      "client_assertion alg PS256 does not match the credential's RS256",
    );
    expect(auth0AssertionAlgorithmFailure({ alg: 'RS256' }, 'RS256')).toBeUndefined();
  });

  // Source: "Create Custom Claims", General restrictions, the list of claims "subject to Auth0's
  // restrictions": https://auth0.com/docs/secure/tokens/json-web-tokens/create-custom-claims
  it('restricts exactly the claims Auth0 lists', () => {
    expect([...auth0RestrictedClaims].sort()).toEqual(
      [
        ...['acr', 'act', 'active', 'amr', 'at_hash', 'ath', 'attest', 'aud', 'auth_time'],
        ...['authorization_details', 'azp', 'c_hash', 'client_id', 'cnf', 'cty', 'dest', 'entitlements'],
        ...['events', 'exp', 'groups', 'gty', 'htm', 'htu', 'iat', 'internalService', 'iss', 'jcard'],
        ...['jku', 'jti', 'jwe', 'jwk', 'kid', 'may_act', 'mky', 'nbf', 'nonce', 'object_id', 'org_id'],
        ...['org_name', 'orig', 'origid', 'permissions', 'roles', 'rph', 's_hash', 'sid', 'sip_callid'],
        ...['sip_cseq_num', 'sip_date', 'sip_from_tag', 'sip_via_branch', 'sub', 'sub_jwk', 'toe', 'txn'],
        ...['typ', 'uuid', 'vot', 'vtm', 'x5t#S256'],
      ].sort(),
    );
    expect(auth0RestrictedClaims.has('scope')).toBe(false);
  });

  // Sources: the restricted list above; "Auth0 domains cannot be used as namespace identifiers:
  // auth0.com, webtask.io, webtask.run" (https://auth0.com/docs/tokens/create-namespaced-custom-claims);
  // non-namespaced custom claims allowed since 28 July 2022
  // (https://auth0.com/docs/troubleshoot/product-lifecycle/past-migrations/custom-claims-migration).
  it('keeps namespaced and private claims, drops restricted ones and Auth0-domain namespaces', () => {
    expect(auth0KeepsCustomClaim('https://dual-auth.dev/act')).toBe(true);
    expect(auth0KeepsCustomClaim('department')).toBe(true);
    for (const name of ['act', 'may_act', 'permissions', 'org_id', 'typ', 'x5t#S256']) {
      expect(auth0KeepsCustomClaim(name), name).toBe(false);
    }
    expect(auth0KeepsCustomClaim('https://tenant.eu.auth0.com/act')).toBe(false);
    expect(auth0KeepsCustomClaim('https://x.webtask.run/act')).toBe(false);
    expect(auth0KeepsCustomClaim('https://webtask.io/act')).toBe(false);
  });

  // Source: "api.access.deny(code, reason) … Allowed values: invalid_scope, invalid_request,
  // server_error":
  // https://auth0.com/docs/customize/actions/explore-triggers/machine-to-machine-trigger/credentials-exchange-api-object
  it('accepts only the three deny codes of the credentials-exchange trigger', () => {
    for (const code of ['invalid_scope', 'invalid_request', 'server_error']) {
      expect(auth0DenyCode(code)).toBe(code);
    }
    for (const code of ['access_denied', 'unauthorized_client', 'Invalid_Request', '', undefined]) {
      expect(() => auth0DenyCode(code), String(code)).toThrow(TypeError);
    }
    expect(() => auth0DenyCode('access_denied')).toThrow(/invalid_scope, invalid_request, server_error/);
  });

  // Source: the credentials-exchange Hook's documented answers (400 invalid_scope, 400
  // invalid_request, 500 server_error, body {error, error_description}):
  // https://auth0.com/docs/hooks/extensibility-points/client-credentials-exchange
  it('answers a denial with the code and reason, 400 (500 for server_error)', () => {
    expect(auth0DenialResponse({ code: 'invalid_request', reason: 'no' })).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'no' },
    });
    expect(auth0DenialResponse({ code: 'invalid_scope', reason: 'x' }).status).toBe(400);
    expect(auth0DenialResponse({ code: 'server_error', reason: 'x' }).status).toBe(500);
  });

  it('grants every agent the API scopes and its roles (its Auth0 permissions), and refuses others', () => {
    const grant = auth0ClientGrantScopes(['finance.read', 'finance.write'], { roles: ['FinanceAgent'] });
    expect(grant).toEqual(['finance.read', 'finance.write', 'FinanceAgent']);
    expect(auth0ScopeRefusal(['finance.read'], grant)).toBeUndefined();
    expect(auth0ScopeRefusal([], grant)).toBeUndefined();
    expect(auth0ScopeRefusal(['finance.read', 'payroll.admin'], grant)).toBe(
      'Client has not been granted scopes: payroll.admin',
    );
  });

  // Source: https://auth0.com/docs/get-started/authentication-and-authorization-flow/authenticate-with-private-key-jwt
  it('times a client assertion as Auth0 does: exp required, 10 s skew, 5 minutes at most', () => {
    const now = 1_767_225_600;
    expect(auth0AssertionTimingFailure({ exp: now + 300 }, now)).toBeUndefined();
    expect(auth0AssertionTimingFailure({ iat: now + 10, exp: now + 310 }, now)).toBeUndefined();
    expect(auth0AssertionTimingFailure({ iat: now }, now)).toMatch(/exp must be provided/);
    expect(auth0AssertionTimingFailure({ exp: now + 301 }, now)).toMatch(/300 seconds/);
    expect(auth0AssertionTimingFailure({ iat: now - 100, exp: now + 201 }, now)).toMatch(/300 seconds/);
    expect(auth0AssertionTimingFailure({ iat: now + 11, exp: now + 60 }, now)).toMatch(/future/);
    expect(auth0AssertionTimingFailure({ nbf: now + 11, exp: now + 60 }, now)).toMatch(/nbf/);
  });
});
