export { createMemoryReplayStore, type MemoryReplayStoreOptions } from './create-memory-replay-store.ts';
export { createMemoryTokenStore, type MemoryTokenStoreOptions } from './create-memory-token-store.ts';
export {
  createSubjectTokenReceiver,
  type SubjectTokenHeaders,
  type SubjectTokenReceiver,
  type SubjectTokenReceiverOptions,
} from './create-subject-token-receiver.ts';
export { createTokenCache, type TokenCache, type TokenCacheOptions } from './create-token-cache.ts';
export { type APICallOptions, type CallApiParams, InSessionAPICall } from './in-session-api-call.ts';
export { InSessionTokenRequest } from './in-session-token-request.ts';
export { OutOfSessionAPICall } from './out-of-session-api-call.ts';
export {
  OutOfSessionTokenRequest,
  type OutOfSessionTokenRequestOptions,
  type TokenFromJwtParams,
} from './out-of-session-token-request.ts';
export type { PublicKeyInput } from './public-key-input.ts';
export type { TokenRequestOptions } from './token-request-options.ts';
export type { VerifiedActJwt } from './verified-act-jwt.ts';
