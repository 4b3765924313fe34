export { createSenderFromConfig, type SenderFromConfigOptions } from './create-sender-from-config.ts';
export { HybridSender } from './hybrid-sender.ts';
export type {
  ActAssertionSignerOptions,
  HybridSenderOptions,
  OutOfSessionActOptions,
} from './hybrid-sender-options.ts';
export { OutOfSessionHandOff, type OutOfSessionHandOffOptions } from './out-of-session-hand-off.ts';
export type {
  PublicJwk,
  PublicJwks,
  SenderCryptoKeyPair,
  SenderKey,
  SigningAlgorithm,
} from './sender-key.ts';
export { UserSession, type UserSessionInit } from './user-session.ts';
export {
  type IdTokenClaimsOptions,
  userSessionFromIdTokenClaims,
} from './user-session-from-id-token-claims.ts';
