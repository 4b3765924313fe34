import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import type { IdpAdapterHarness } from './idp-adapter-harness.ts';
import { ConformanceFixture } from './internal/conformance-fixture.ts';
import { describeFaultCases } from './internal/fault-cases.ts';
import { describeRefusalCases } from './internal/refusal-cases.ts';
import { describeSecrecyCases } from './internal/secrecy-cases.ts';
import { describeTokenIssuanceCases } from './internal/token-issuance-cases.ts';

/**
 * The conformance suite every `IdpAdapter` runs against the embedded IdP over HTTPS: a dual-subject
 * token that verifies against the profile's JWKS and carries the human (in the token in agbac mode,
 * in a bound act assertion in hybrid mode); refusals of an agent or human not pre-approved, wrong
 * credentials and bad scopes as typed errors; 429, 5xx, dropped connections, timeouts and garbage
 * bodies; and no secret, key or token in logs, errors or serialized objects.
 *
 * @example
 * ```ts
 * describeIdpAdapter('keycloak agbac client_secret_jwt', {
 *   vendor: 'keycloak', mode: 'agbac', authMethod: 'client_secret_jwt',
 *   createAdapter: (config, options) => new KeycloakAdapter(config, options),
 *   humanClaims: { act: 'act', delegation: 'delegation', agbacVersion: 'agbac_ver' },
 *   refusals: { agentNotApproved: { status: 400, oauthError: 'access_denied' }, … },
 * });
 * ```
 */
export function describeIdpAdapter(name: string, harness: IdpAdapterHarness): void {
  describe(`IdpAdapter conformance: ${name}`, () => {
    const fixture = new ConformanceFixture(harness);
    beforeAll(() => fixture.start());
    afterAll(() => fixture.close());
    afterEach(() => fixture.faults?.reset());

    describeTokenIssuanceCases(fixture, harness);
    describeRefusalCases(fixture, harness);
    describeFaultCases(fixture, harness);
    describeSecrecyCases(fixture);
  });
}
