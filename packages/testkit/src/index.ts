export {
  auth0ChainFixture,
  auth0ExchangeWebClients,
  requestAuth0HumanToken,
} from './auth0/auth0-exchange-fixture.ts';
export { capturingLogger } from './capturing-logger.ts';
export { entraExchangeWebClients, requestEntraHumanToken } from './entraid/entraid-human-token.ts';
export { defaultIdpFixture } from './idp/default-fixture.ts';
export { loadFixtureFile } from './idp/load-fixture-file.ts';
export { type EmbeddedIdpHooks, startEmbeddedIdp } from './idp/start-embedded-idp.ts';
export type {
  AgentFixture,
  ClientAuthMethod,
  EmbeddedIdp,
  EmbeddedIdpOptions,
  FaultControls,
  HumanFixture,
  IdpFixture,
  IdpProfile,
  WebClientFixture,
} from './idp/types.ts';
export { vendorUserId } from './idp/vendor-ids.ts';
export {
  AUTH0_MAX_SUBJECT_ACT_DEPTH,
  auth0AgentApiIdentifier,
  embeddedAuth0HumanPassword,
} from './idp/vendors/auth0-token-exchange.ts';
export { oktaNativeApp, requestOktaHumanToken } from './idp/vendors/okta-human-token.ts';
export { oktaHumanPassword } from './idp/vendors/okta-token-exchange.ts';
export { type InstalledKeycloak, installedKeycloak } from './keycloak/installed-keycloak.ts';
export { keycloakExchangeWebClients, requestKeycloakHumanToken } from './keycloak/keycloak-human-token.ts';
export {
  type RealKeycloakClientAuth,
  realKeycloakExchangeAgents,
  realKeycloakHumanPassword,
  realKeycloakWebClients,
} from './keycloak/real-keycloak-realm.ts';
export {
  type RealKeycloak,
  type RealKeycloakOptions,
  type RealKeycloakRealm,
  startRealKeycloak,
} from './keycloak/start-real-keycloak.ts';
export { liveTenantHosts } from './live/live-tenant-hosts.ts';
export {
  type LiveTenantVariable,
  type LiveVendorProfile,
  liveTenantVariables,
  liveVariablePrefix,
  liveVendorProfiles,
} from './live/live-tenant-variables.ts';
export {
  type LiveClient,
  type LiveTenant,
  type LiveTenantReading,
  readLiveTenant,
} from './live/read-live-tenant.ts';
export { type ReadFirstLineOptions, readFirstLine } from './read-first-line.ts';
export { type TestConfigInit, testConfig } from './test-config.ts';
export { type TestTlsMaterial, testTls, trustTestCa } from './tls/test-tls.ts';
