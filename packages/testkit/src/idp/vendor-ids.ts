import type { Vendor } from '@dual-auth/core';
import { vendorEmulation } from './vendor-emulation.ts';

/**
 * A fixture name as the vendor would write the user's IAM id: a UUID at Keycloak, `auth0|…` at
 * Auth0, `00u…` at Okta, an object id GUID at Entra ID. Deterministic, so tests can name users.
 *
 * @example
 * ```ts
 * vendorUserId('auth0', 'alice'); // 'auth0|51b9a80484615c7e8812af57575526a9'
 * ```
 */
export function vendorUserId(vendor: Vendor, fixtureId: string): string {
  return vendorEmulation(vendor).userId(fixtureId);
}
