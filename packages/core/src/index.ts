export { type Act, actSchema, type CheckedAct, MAXIMUM_SUBJECT_LENGTH, parseAct } from './act.ts';
export {
  ACT_ASSERTION_HEADER,
  ACT_ASSERTION_TYPE,
  ACT_JWT_LIFETIME_SECONDS,
  ACT_JWT_TYPE,
  type ActAssertionClaims,
  type ActJwtClaims,
  AGBAC_VERSION,
  accessTokenHash,
  MAXIMUM_ACT_JWT_LENGTH,
} from './act-jwt.ts';
export type { AuditEvent, AuditSink } from './audit-event.ts';
export type { AdapterOptions, ClientAuthMethod } from './client-credentials-adapter.ts';
export {
  type Clock,
  createManualClock,
  DEFAULT_CLOCK_SKEW_SECONDS,
  MAXIMUM_CLOCK_SKEW_SECONDS,
  type ResolvedTimeOptions,
  resolveTimeOptions,
  systemClock,
  type TimeOptions,
} from './clock.ts';
export type {
  ConfigProperty,
  DualAuthConfig,
  SettingDefinition,
  SettingKind,
  SettingValue,
  VendorDefinition,
} from './config-definition.ts';
export type { ClientAssertionPrivateKey, PrivateKeyAlgorithm } from './create-client-assertion.ts';
export {
  createDelegation,
  type Delegation,
  type DelegationClaim,
  type DelegationMethod,
  delegationClaimSchema,
  delegationMethods,
  MAXIMUM_INTENT_SUMMARY_LENGTH,
  parseDelegationClaim,
  toDelegationClaim,
} from './delegation.ts';
export { discloseAct } from './disclose-act.ts';
export {
  AccessDeniedError,
  ActVerificationError,
  type ActVerificationFailure,
  ApiCallError,
  type ApiCallErrorOptions,
  ConfigurationError,
  type ConfigurationErrorOptions,
  type DenialCode,
  DualAuthError,
  type DualAuthErrorCode,
  type DualAuthErrorOptions,
  denialHttpStatus,
  isDualAuthError,
  ReplayError,
  type ReplayFailure,
  SecretsBackendError,
  type SecretsBackendErrorOptions,
  TokenRequestError,
  type TokenRequestErrorOptions,
  TokenStoreError,
} from './errors.ts';
export type {
  ActAssertionInput,
  ActAssertionSigner,
  DelegationMode,
  IdpAdapter,
  TokenMode,
  TokenRequestParams,
} from './idp-adapter.ts';
export type { LogFields, Logger, LogLevel } from './logger.ts';
export { MAXIMUM_ACCESS_TOKEN_LENGTH } from './oauth-responses.ts';
export type { ActDisplayClaim } from './parse-act-display-claims.ts';
export type { TokenRequestRetryOptions } from './post-token-request.ts';
export { redact, redactText } from './redact.ts';
export type { ReplayStore } from './replay-store.ts';
export { REDACTED, Secret } from './secret.ts';
export type {
  Environment,
  SecretReadOptions,
  SecretsBackend,
  SecretsBackendDefinition,
} from './secrets-backend.ts';
export { summarizeError } from './summarize-error.ts';
export { SUBJECT_TOKEN_HEADER } from './token-exchange.ts';
export { TokenResponse, type TokenResponseInit } from './token-response.ts';
export type {
  TokenFlightClaim,
  TokenFlightFailure,
  TokenFlightOutcome,
  TokenLease,
  TokenSingleFlight,
  TokenStore,
} from './token-store.ts';
export {
  checkUrlPolicy,
  isLoopbackHost,
  requireSecureUrl,
  type UrlPolicyOptions,
  type UrlPolicyResult,
} from './url-policy.ts';
export {
  isSecretsBackendType,
  isVendor,
  type SecretsBackendType,
  secretsBackendTypes,
  type Vendor,
  vendors,
} from './vendors.ts';
