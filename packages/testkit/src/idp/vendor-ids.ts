import { createHash } from 'node:crypto';
import type { Vendor } from '@dual-auth/core';

function digest(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

function guid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A fixture name as the vendor would write the user's IAM id: a UUID at Keycloak, `auth0|…` at
 * Auth0, `00u…` at Okta, an object id GUID at Entra ID. Deterministic, so tests can name users.
 *
 * @example
 * ```ts
 * vendorUserId('auth0', 'alice'); // 'auth0|2bd806c97f0e00af1a1fc3328fa763a9'
 * ```
 */
export function vendorUserId(vendor: Vendor, fixtureId: string): string {
  const hex = digest(`${vendor}:user:${fixtureId}`);
  switch (vendor) {
    case 'keycloak':
    case 'entraid':
      return guid(hex);
    case 'auth0':
      return `auth0|${hex.slice(0, 32)}`;
    case 'okta':
      return `00u${hex.slice(0, 17)}`;
  }
}

/** A service principal / service-account id for an agent client, in the vendor's shape. */
export function vendorServiceAccountId(vendor: Vendor, clientId: string): string {
  return guid(digest(`${vendor}:service-account:${clientId}`));
}
