export {
  type ConformanceIdp,
  describeIdpAdapter,
  type ExpectedRefusal,
  type IdpAdapterHarness,
  type IssuedRefusal,
} from './describe-idp-adapter.ts';
export { describeReplayStore } from './describe-replay-store.ts';
export {
  describeSecretsBackend,
  expectSecretsBackendError,
  type SecretsBackendFaultControl,
  type SecretsBackendHarness,
} from './describe-secrets-backend.ts';
export { describeTokenStore } from './describe-token-store.ts';
export { keycloakAgentWithoutRole, keycloakHumanRefusedByMapper } from './keycloak-issued-refusals.ts';
