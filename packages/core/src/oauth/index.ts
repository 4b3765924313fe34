export {
  ClientCredentialsAdapter,
  type ClientCredentialsRules,
  type VendorRequestParts,
} from '../client-credentials-adapter.ts';
export { clientCredentialsSettings } from '../client-credentials-settings.ts';
export {
  CLIENT_ASSERTION_TYPE,
  type ClientAssertionKey,
  type ClientAssertionOptions,
  createClientAssertion,
} from '../create-client-assertion.ts';
export {
  type OAuthErrorResponse,
  oauthErrorResponseSchema,
  oauthTokenResponseSchema,
  tokenResponseFromBody,
} from '../oauth-responses.ts';
export { parseRateLimitWait, type RateLimitedAnswer } from '../parse-rate-limit-wait.ts';
export { parseStrictJsonObject } from '../parse-strict-json-object.ts';
export {
  MAXIMUM_TOKEN_RESPONSE_BYTES,
  type PostTokenRequestOptions,
  postTokenRequest,
  type TokenRequestAttempt,
} from '../post-token-request.ts';
export { readLimitedText } from '../read-limited-text.ts';
export { SUBJECT_TOKEN_TYPE_ACCESS_TOKEN, TOKEN_EXCHANGE_GRANT_TYPE } from '../token-exchange.ts';
export { tokenRequestErrorFromResponse } from '../token-request-error-from-response.ts';
