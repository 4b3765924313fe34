import type { DualAuthConfig } from '@dual-auth/core';

/**
 * What a test must say about a configuration; everything else takes `testConfig`'s defaults.
 *
 * @example
 * ```ts
 * const init: TestConfigInit = { vendor: 'okta', tokenUrl, clientId: '0oa-agent', scope: ['finance.read'] };
 * ```
 */
export type TestConfigInit = Pick<DualAuthConfig, 'vendor' | 'tokenUrl' | 'clientId'> &
  Partial<DualAuthConfig>;

/**
 * A complete `DualAuthConfig` as `getConfig()` would return it, for unit tests that build adapters
 * or senders directly: the given fields, and for the rest the values of an unset setting (`undefined`,
 * no loopback opt-in, no extra settings, the `env` backend).
 *
 * @example
 * ```ts
 * const adapter = new KeycloakAdapter(
 *   testConfig({ vendor: 'keycloak', tokenUrl, clientId: 'finance-agent', clientSecret: new Secret(secret) }),
 * );
 * ```
 */
export function testConfig(init: TestConfigInit): DualAuthConfig {
  return {
    secretsBackend: 'env',
    clientSecret: undefined,
    audience: undefined,
    scope: undefined,
    appId: undefined,
    appPrivateKeyPath: undefined,
    appPublicKeyPath: undefined,
    agentEndpoint: undefined,
    apiUrl: undefined,
    allowInsecureLoopback: false,
    settings: {},
    ...init,
  };
}
