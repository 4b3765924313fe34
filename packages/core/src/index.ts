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
export {
  type AdapterOptions,
  type ClientAuthMethod,
  ClientCredentialsAdapter,
  type ClientCredentialsRules,
  type VendorRequestParts,
} from './client-credentials-adapter.ts';
export { clientCredentialsSettings } from './client-credentials-settings.ts';
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
export {
  type ConfigProperty,
  commonSettings,
  type DualAuthConfig,
  type SettingDefinition,
  type SettingKind,
  type SettingValue,
  type VendorDefinition,
} from './config-definition.ts';
export {
  type CachingSecretsBackendOptions,
  createCachingSecretsBackend,
} from './create-caching-secrets-backend.ts';
export {
  CLIENT_ASSERTION_TYPE,
  type ClientAssertionKey,
  type ClientAssertionOptions,
  type ClientAssertionPrivateKey,
  createClientAssertion,
  type PrivateKeyAlgorithm,
} from './create-client-assertion.ts';
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
export { type GetConfigOptions, getConfig } from './get-config.ts';
export { getSecretsBackendType } from './get-secrets-backend-type.ts';
export { getVendor } from './get-vendor.ts';
export type {
  ActAssertionInput,
  ActAssertionSigner,
  DelegationMode,
  IdpAdapter,
  TokenMode,
  TokenRequestParams,
} from './idp-adapter.ts';
export { logSecretReads, type SecretRead } from './log-secret-reads.ts';
export {
  createJsonLinesLogger,
  type JsonLinesLoggerOptions,
  type LogFields,
  type Logger,
  type LogLevel,
  silentLogger,
} from './logger.ts';
export {
  MAXIMUM_ACCESS_TOKEN_LENGTH,
  type OAuthErrorResponse,
  oauthErrorResponseSchema,
  oauthTokenResponseSchema,
  tokenResponseFromBody,
} from './oauth-responses.ts';
export {
  ACT_DISPLAY_CLAIMS_SETTING,
  type ActDisplayClaim,
  parseActDisplayClaims,
} from './parse-act-display-claims.ts';
export { parseRateLimitWait, type RateLimitedAnswer } from './parse-rate-limit-wait.ts';
export { parseStrictJsonObject } from './parse-strict-json-object.ts';
export {
  MAXIMUM_TOKEN_RESPONSE_BYTES,
  type PostTokenRequestOptions,
  postTokenRequest,
  type TokenRequestAttempt,
  type TokenRequestRetryOptions,
} from './post-token-request.ts';
export { type EnvironmentSettingRule, readEnvironmentSetting } from './read-environment-setting.ts';
export { type KeyFileReadOptions, readKeyFile } from './read-key-file.ts';
export { readLimitedText } from './read-limited-text.ts';
export { redact, redactText } from './redact.ts';
export type { ReplayStore } from './replay-store.ts';
export { type InsecureLoopbackSource, resolveInsecureLoopback } from './resolve-insecure-loopback.ts';
export { REDACTED, Secret } from './secret.ts';
export type {
  Environment,
  SecretReadOptions,
  SecretsBackend,
  SecretsBackendDefinition,
} from './secrets-backend.ts';
export { summarizeError } from './summarize-error.ts';
export {
  SUBJECT_TOKEN_HEADER,
  SUBJECT_TOKEN_TYPE_ACCESS_TOKEN,
  TOKEN_EXCHANGE_GRANT_TYPE,
} from './token-exchange.ts';
export { tokenRequestErrorFromResponse } from './token-request-error-from-response.ts';
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
  INSECURE_LOOPBACK_SETTING,
  isLoopbackHost,
  requireSecureUrl,
  type UrlPolicyOptions,
  type UrlPolicyResult,
} from './url-policy.ts';
export {
  adapterPackageName,
  isSecretsBackendType,
  isVendor,
  type SecretsBackendType,
  secretsBackendPackageName,
  secretsBackendTypes,
  type Vendor,
  vendors,
} from './vendors.ts';
