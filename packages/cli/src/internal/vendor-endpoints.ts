import type { Vendor } from '@dual-auth/core';

/** Where a vendor's issuer, discovery document and keys are, derived from its token URL. */
export interface VendorEndpoints {
  readonly issuer: string;
  readonly discoveryUrl: string;
  readonly jwksUri: string;
}

const patterns: Record<Vendor, { readonly token: RegExp; readonly example: string }> = {
  keycloak: {
    token: /^(?<base>.+\/realms\/[^/]+)\/protocol\/openid-connect\/token$/,
    example: 'https://{host}/realms/{realm}/protocol/openid-connect/token',
  },
  auth0: {
    token: /^(?<base>https?:\/\/[^/]+)\/oauth\/token$/,
    example: 'https://{tenant}.auth0.com/oauth/token',
  },
  okta: {
    token: /^(?<base>.+\/oauth2\/[^/]+)\/v1\/token$/,
    example: 'https://{domain}/oauth2/{authServerId}/v1/token',
  },
  entraid: {
    token: /^(?<base>.+\/[^/]+)\/oauth2\/v2\.0\/token$/,
    example: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
  },
};

/** The setting holding each vendor's token URL. */
export const tokenUrlSettings: Readonly<Record<Vendor, string>> = Object.freeze({
  keycloak: 'KEYCLOAK_TOKEN_URL',
  auth0: 'AUTH0_TOKEN_URL',
  okta: 'OKTA_TOKEN_URL',
  entraid: 'ENTRAID_TOKEN_URL',
});

/** The vendor's token URL shape, for messages. */
export function tokenUrlExample(vendor: Vendor): string {
  return patterns[vendor].example;
}

/** Derives the issuer, discovery and JWKS URLs from a token URL, or `undefined` when it has another shape. */
export function vendorEndpoints(vendor: Vendor, tokenUrl: string): VendorEndpoints | undefined {
  const base = patterns[vendor].token.exec(tokenUrl.split('?')[0] ?? '')?.groups?.base;
  if (base === undefined) return undefined;
  switch (vendor) {
    case 'keycloak':
      return {
        issuer: base,
        discoveryUrl: `${base}/.well-known/openid-configuration`,
        jwksUri: `${base}/protocol/openid-connect/certs`,
      };
    case 'auth0':
      return {
        issuer: `${base}/`,
        discoveryUrl: `${base}/.well-known/openid-configuration`,
        jwksUri: `${base}/.well-known/jwks.json`,
      };
    case 'okta':
      return {
        issuer: base,
        discoveryUrl: `${base}/.well-known/openid-configuration`,
        jwksUri: `${base}/v1/keys`,
      };
    case 'entraid':
      return {
        issuer: `${base}/v2.0`,
        discoveryUrl: `${base}/v2.0/.well-known/openid-configuration`,
        jwksUri: `${base}/discovery/v2.0/keys`,
      };
  }
}

/** The discovery URL of an issuer (OpenID Connect Discovery: issuer + /.well-known/openid-configuration). */
export function discoveryUrlOfIssuer(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
}
