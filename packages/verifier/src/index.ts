export type { JwksOptions } from '@dual-auth/core/jose';
export {
  createJsonLinesAuditSink,
  type JsonLinesAuditSinkOptions,
} from './create-json-lines-audit-sink.ts';
export {
  createStaticHumanAuthorizer,
  type HumanAuthorization,
  type HumanAuthorizer,
} from './create-static-human-authorizer.ts';
export { createVerifier, MISSING_TOKEN_REASON, type Verifier, type VerifyInput } from './create-verifier.ts';
export type {
  AllowDecision,
  Decision,
  DenyDecision,
  HumanCheck,
  SubjectVerdict,
  SubjectVerdicts,
  VerifiedAgent,
  VerifiedHuman,
} from './decision.ts';
export type { Layout } from './internal/layout.ts';
export type { VerifyRequestFields } from './internal/request-credentials.ts';
export type { JwsAlgorithm, PublicKeyInput } from './internal/verification-key.ts';
export {
  type OktaVendorProfileOptions,
  oktaVendorProfile,
  type TokenClaims,
  type VendorProfile,
  vendorProfiles,
} from './vendor-profile.ts';
export type {
  HybridOptions,
  PolicyContext,
  PolicyFunction,
  VerifiedTokenCacheOptions,
  VerifierLimits,
  VerifierOptions,
  VerifyRequirements,
} from './verifier-options.ts';
