import type { Vendor } from '@dual-auth/core';
import type { ClientAuthMethod, IdpFixture } from './types.ts';

/** Where a vendor serves its endpoints and which rules its token endpoint applies. */
export interface VendorSpec {
  readonly vendor: Vendor;
  /** Path prefix of this vendor's OAuth server on the shared port. */
  mount(fixture: IdpFixture): string;
  /** The issuer string, exactly as the vendor writes it. */
  issuer(baseUrl: string, fixture: IdpFixture): string;
  /** oidc-provider routes, relative to the mount. */
  readonly routes: { readonly token: string; readonly jwks: string };
  /** Human sign-in routes, relative to the mount (used only when web clients are registered). */
  readonly loginRoutes: { readonly authorization: string; readonly userinfo: string };
  /** Where this vendor serves discovery, when not at `{mount}/.well-known/openid-configuration`. */
  discoveryPath?(fixture: IdpFixture): string;
  /** Client-authentication methods the vendor supports at all. */
  readonly authMethods: readonly ClientAuthMethod[];
  /** Which `aud` a client assertion may carry. */
  readonly assertionAudience: 'one-of-issuer-or-endpoints' | 'token-url' | 'issuer';
  /** Longest client-assertion lifetime (`exp - iat`) accepted, seconds. */
  readonly maximumAssertionLifetimeSeconds: number;
  /** Clock tolerance for assertions, seconds. */
  readonly clockToleranceSeconds: number;
  /** Lifetime of issued access tokens, seconds. */
  readonly accessTokenTtlSeconds: number;
  /** Base path of the vendor's directory/admin API. */
  directoryPath(fixture: IdpFixture): string;
}

const allMethods: readonly ClientAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
];

/** The four vendor profiles, in the order their mounts must be matched (Auth0's `/` last). */
export const vendorSpecs: readonly VendorSpec[] = [
  {
    vendor: 'keycloak',
    mount: (fixture) => `/realms/${fixture.realm}`,
    issuer: (baseUrl, fixture) => `${baseUrl}/realms/${fixture.realm}`,
    routes: { token: '/protocol/openid-connect/token', jwks: '/protocol/openid-connect/certs' },
    loginRoutes: {
      authorization: '/protocol/openid-connect/auth',
      userinfo: '/protocol/openid-connect/userinfo',
    },
    authMethods: allMethods,
    assertionAudience: 'one-of-issuer-or-endpoints',
    maximumAssertionLifetimeSeconds: 600,
    clockToleranceSeconds: 15,
    accessTokenTtlSeconds: 300,
    directoryPath: (fixture) => `/admin/realms/${fixture.realm}`,
  },
  {
    vendor: 'okta',
    mount: (fixture) => `/oauth2/${fixture.oktaAuthServerId}`,
    issuer: (baseUrl, fixture) => `${baseUrl}/oauth2/${fixture.oktaAuthServerId}`,
    routes: { token: '/v1/token', jwks: '/v1/keys' },
    loginRoutes: { authorization: '/v1/authorize', userinfo: '/v1/userinfo' },
    authMethods: allMethods,
    assertionAudience: 'token-url',
    maximumAssertionLifetimeSeconds: 3600,
    clockToleranceSeconds: 30,
    accessTokenTtlSeconds: 3600,
    directoryPath: () => '/api/v1',
  },
  {
    vendor: 'entraid',
    mount: (fixture) => `/${fixture.entraTenantId}`,
    issuer: (baseUrl, fixture) => `${baseUrl}/${fixture.entraTenantId}/v2.0`,
    routes: { token: '/oauth2/v2.0/token', jwks: '/discovery/v2.0/keys' },
    loginRoutes: { authorization: '/oauth2/v2.0/authorize', userinfo: '/oidc/userinfo' },
    discoveryPath: (fixture) => `/${fixture.entraTenantId}/v2.0/.well-known/openid-configuration`,
    authMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    assertionAudience: 'token-url',
    // "Microsoft Entra ID doesn't place restrictions on the exp time currently" (certificate-credentials).
    maximumAssertionLifetimeSeconds: Number.POSITIVE_INFINITY,
    clockToleranceSeconds: 30,
    accessTokenTtlSeconds: 3599,
    directoryPath: () => '/graph/v1.0',
  },
  {
    vendor: 'auth0',
    mount: () => '',
    issuer: (baseUrl) => `${baseUrl}/`,
    routes: { token: '/oauth/token', jwks: '/.well-known/jwks.json' },
    loginRoutes: { authorization: '/authorize', userinfo: '/userinfo' },
    authMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    assertionAudience: 'issuer',
    // "Auth0 supports a maximum of 5 minutes for the lifetime of a token"; "A clock skew of up to 10
    // seconds is allowed for iat and nbf" (vendors/auth0.ts, auth0AssertionTimingFailure).
    maximumAssertionLifetimeSeconds: 300,
    clockToleranceSeconds: 10,
    accessTokenTtlSeconds: 86_400,
    directoryPath: () => '/api/v2',
  },
];

/** The spec of one vendor. */
export function vendorSpec(vendor: Vendor): VendorSpec {
  const spec = vendorSpecs.find((candidate) => candidate.vendor === vendor);
  if (spec === undefined) throw new TypeError(`unknown vendor ${vendor}`);
  return spec;
}
