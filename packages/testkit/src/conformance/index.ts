export { useEmbeddedIdp } from '../idp/use-embedded-idp.ts';
export { type LiveAdapterFactory, liveAdapterHarness } from '../live/live-adapter-harness.ts';
export {
  discoverLiveTenant,
  type LiveTenantEndpoints,
  liveConformanceIdp,
} from '../live/live-conformance-idp.ts';
export { liveRefusals } from '../live/live-refusals.ts';
export { describeIdpAdapter } from './describe-idp-adapter.ts';
export { describeReplayStore } from './describe-replay-store.ts';
export {
  describeSecretsBackend,
  expectSecretsBackendError,
  type SecretsBackendFaultControl,
  type SecretsBackendHarness,
} from './describe-secrets-backend.ts';
export { describeTokenStore } from './describe-token-store.ts';
export type {
  ConformanceCast,
  ConformanceIdp,
  ExpectedRefusal,
  IdpAdapterHarness,
  IssuedRefusal,
} from './idp-adapter-harness.ts';
export { keycloakAgentWithoutRole, keycloakHumanRefusedByMapper } from './keycloak-issued-refusals.ts';
