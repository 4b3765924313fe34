import type { AdapterOptions, DualAuthConfig, IdpAdapter } from '@dual-auth/core';
import type { IdpAdapterHarness } from '../conformance/idp-adapter-harness.ts';
import { liveConformanceIdp } from './live-conformance-idp.ts';
import { liveRefusals } from './live-refusals.ts';
import type { LiveTenant } from './read-live-tenant.ts';

/**
 * Builds one vendor's adapter (the testkit depends on no adapter package; the caller passes its own).
 *
 * @example
 * ```ts
 * const createAdapter: LiveAdapterFactory = (config, options) => new OktaAdapter(config, options);
 * ```
 */
export type LiveAdapterFactory = (config: DualAuthConfig, options: AdapterOptions) => IdpAdapter;

function namespaced(actClaim: string, name: 'delegation' | 'agbac_ver'): string {
  return actClaim.endsWith('/act') ? `${actClaim.slice(0, -'act'.length)}${name}` : name;
}

/**
 * The {@link describeIdpAdapter} harness for a live tenant: the vendor's layout and client
 * authentication, the tenant as the real IdP, its documented refusals, and the certificate
 * thumbprint (`x5t#S256`) added to each agent's client assertions when one is configured.
 *
 * @example
 * ```ts
 * const reading = readLiveTenant('okta');
 * if (reading.configured)
 *   describeIdpAdapter('live Okta', liveAdapterHarness(reading.tenant, (config, options) => new OktaAdapter(config, options)));
 * ```
 */
export function liveAdapterHarness(tenant: LiveTenant, createAdapter: LiveAdapterFactory): IdpAdapterHarness {
  const thumbprints = new Map<string, string>();
  for (const client of [tenant.agent, tenant.rogueAgent])
    if (client.certificateThumbprint !== undefined)
      thumbprints.set(client.clientId, client.certificateThumbprint);
  return {
    vendor: tenant.vendor,
    mode: tenant.mode,
    authMethod: tenant.authMethod,
    createAdapter: (config, options) => {
      const x5tS256 = thumbprints.get(config.clientId);
      const privateKey = options.privateKey;
      return createAdapter(
        config,
        privateKey === undefined || x5tS256 === undefined
          ? options
          : { ...options, privateKey: { ...privateKey, x5tS256 } },
      );
    },
    ...(tenant.vendor === 'auth0' ? { settings: { AUTH0_ACT_CLAIM: tenant.actClaim } } : {}),
    ...(tenant.mode === 'agbac'
      ? {
          humanClaims: {
            act: tenant.actClaim,
            delegation: namespaced(tenant.actClaim, 'delegation'),
            agbacVersion: namespaced(tenant.actClaim, 'agbac_ver'),
          },
        }
      : {}),
    realIdp: () => liveConformanceIdp(tenant),
    refusals: liveRefusals(tenant),
  };
}
