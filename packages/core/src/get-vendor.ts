import { ConfigurationError } from './errors.ts';
import { defaultEnvironment } from './internal/default-environment.ts';
import type { Environment } from './secrets-backend.ts';
import { isVendor, type Vendor, vendors } from './vendors.ts';

/**
 * The vendor named by `DUAL_AUTH_VENDOR` (or `override`). There is no default: authorization
 * must not silently talk to an IdP nobody chose.
 *
 * @example
 * ```ts
 * const vendor = getVendor(); // 'keycloak' when DUAL_AUTH_VENDOR=keycloak
 * ```
 * @throws {ConfigurationError} when unset or not one of keycloak, auth0, okta, entraid.
 */
export function getVendor(override?: string, environment: Environment = defaultEnvironment()): Vendor {
  const setting = 'DUAL_AUTH_VENDOR';
  const raw = (override ?? environment[setting])?.trim().toLowerCase();
  if (raw === undefined || raw === '') {
    throw new ConfigurationError(`${setting} is not set; set it to one of ${vendors.join(', ')}.`, {
      setting,
    });
  }
  if (!isVendor(raw)) {
    throw new ConfigurationError(`${setting} names an unknown vendor; use one of ${vendors.join(', ')}.`, {
      setting,
    });
  }
  return raw;
}
