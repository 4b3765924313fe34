import type { Vendor } from '@dual-auth/core';
import { liveVendorProfiles, readLiveTenant } from '@dual-auth/testkit';
import { describeIdpAdapter, liveAdapterHarness } from '@dual-auth/testkit/conformance';
import { describe, it } from 'vitest';
import { vendorCases } from '../harness.ts';
import { describeLiveVerifier } from './describe-live-verifier.ts';

/**
 * The live contract suite of one vendor: the adapter conformance suite and the verifier checks
 * against the tenant named by the `DUAL_AUTH_LIVE_<VENDOR>_*` variables of `environment`. Without
 * them, one skipped test per suite says why; a partial set fails (the error names what is missing).
 */
export function describeLiveTenant(
  vendor: Vendor,
  environment: Readonly<Record<string, string | undefined>> = process.env,
): void {
  const label = liveVendorProfiles[vendor].label;
  const reading = readLiveTenant(vendor, environment);
  if (!reading.configured) {
    describe(`live ${label} tenant`, () => {
      for (const suite of ['adapter conformance suite', 'verifier checks'])
        it(suite, (context) => context.skip(reading.reason));
    });
    return;
  }
  const { tenant } = reading;
  const name = `live ${label} ${tenant.mode} ${tenant.authMethod}`;
  const createAdapter = vendorCases[vendor].createAdapter;
  describeIdpAdapter(name, liveAdapterHarness(tenant, createAdapter));
  describeLiveVerifier(name, tenant, createAdapter);
}
