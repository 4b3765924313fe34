import type { Vendor } from '@dual-auth/core';
import { liveVendorProfiles } from './live-tenant-variables.ts';
import { readLiveTenant } from './read-live-tenant.ts';

/**
 * The host names of the live tenants fully configured in `environment`: the only non-loopback hosts
 * the live project's network guard lets tests reach. A vendor whose variables are missing or
 * malformed contributes none (its suite then fails with the `ConfigurationError`).
 *
 * @example
 * ```ts
 * liveTenantHosts({ DUAL_AUTH_LIVE_OKTA_ISSUER: 'https://example.okta.com/oauth2/aus1', … }); // ['example.okta.com']
 * ```
 */
export function liveTenantHosts(
  environment: Readonly<Record<string, string | undefined>> = process.env,
): string[] {
  const hosts = new Set<string>();
  for (const vendor of Object.keys(liveVendorProfiles) as Vendor[]) {
    try {
      const reading = readLiveTenant(vendor, environment);
      if (reading.configured) hosts.add(new URL(reading.tenant.issuer).hostname.toLowerCase());
    } catch {
      // Not a configured tenant: no host is opened for it.
    }
  }
  return [...hosts].sort();
}
