// The live contract suite (`npm run test:live`, docs/live-tests.md): the adapter conformance suite
// and the verifier checks against a real tenant of each vendor whose DUAL_AUTH_LIVE_<VENDOR>_*
// variables are set. A vendor without them is reported as skipped, with the reason.
import type { Vendor } from '@dual-auth/core';
import { describeLiveTenant } from './describe-live-tenant.ts';

for (const vendor of ['keycloak', 'auth0', 'okta', 'entraid'] satisfies Vendor[]) describeLiveTenant(vendor);
