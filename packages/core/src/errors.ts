/**
 * Stable codes of every runtime failure dual-auth reports. Branch on `error.code`, never on the message.
 *
 * @example
 * ```ts
 * const code: DualAuthErrorCode = 'ERR_TOKEN_REQUEST';
 * ```
 */
export type DualAuthErrorCode =
  | 'ERR_CONFIGURATION'
  | 'ERR_SECRETS_BACKEND'
  | 'ERR_TOKEN_REQUEST'
  | 'ERR_ACT_VERIFICATION'
  | 'ERR_REPLAY'
  | 'ERR_API_CALL'
  | 'ERR_TOKEN_STORE'
  | DenialCode;

/**
 * Why the resource server's enforcement point refused a request. Each maps to one HTTP status:
 * `token_invalid` 401, `agent_denied` / `human_denied` / `human_unchecked` / `delegation_invalid` 403,
 * `idp_unavailable` 503. `human_unchecked`: a human is present but no human policy applies to the
 * request, and presence is never authorization.
 *
 * @example
 * ```ts
 * const code: DenialCode = 'human_denied';
 * ```
 */
export type DenialCode =
  | 'token_invalid'
  | 'agent_denied'
  | 'human_denied'
  | 'human_unchecked'
  | 'delegation_invalid'
  | 'idp_unavailable';

/**
 * The HTTP status a resource server answers with for each {@link DenialCode}.
 *
 * @example
 * ```ts
 * response.status = denialHttpStatus[decision.code]; // 401, 403 or 503
 * ```
 */
export const denialHttpStatus: Readonly<Record<DenialCode, 401 | 403 | 503>> = Object.freeze({
  token_invalid: 401,
  agent_denied: 403,
  human_denied: 403,
  human_unchecked: 403,
  delegation_invalid: 403,
  idp_unavailable: 503,
});

/**
 * Options every dual-auth error accepts: the underlying error, kept as the standard `cause`.
 *
 * @example
 * ```ts
 * throw new ConfigurationError('APP_ID is not set.', { cause: originalError });
 * ```
 */
export interface DualAuthErrorOptions {
  readonly cause?: unknown;
}

/**
 * Base class of every runtime or protocol failure dual-auth throws. Misuse (bad arguments to a
 * constructor or factory) throws a plain `TypeError` instead.
 *
 * Messages name *what* was wrong (a setting, a claim, a status) and never carry a secret, a token,
 * a key or an email: errors travel to logs.
 *
 * @example
 * ```ts
 * try {
 *   await tokenRequest.requestToken({ agentId, act, scope });
 * } catch (error) {
 *   if (error instanceof DualAuthError && error.code === 'ERR_TOKEN_REQUEST') retryLater();
 *   else throw error;
 * }
 * ```
 */
export class DualAuthError extends Error {
  /** The stable code of this failure. */
  readonly code: DualAuthErrorCode;

  constructor(code: DualAuthErrorCode, message: string, options: DualAuthErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Options of {@link ConfigurationError}.
 *
 * @example
 * ```ts
 * throw new ConfigurationError('API_URL must use https.', { setting: 'API_URL' });
 * ```
 */
export interface ConfigurationErrorOptions extends DualAuthErrorOptions {
  /** The setting (environment variable or option name) that is missing or malformed. */
  readonly setting?: string;
}

/**
 * A setting is missing, empty or malformed, or a package the configuration needs is not installed.
 * The message names the setting and how to fix it, never its value.
 *
 * @example
 * ```ts
 * try {
 *   const config = await getConfig();
 * } catch (error) {
 *   if (error instanceof ConfigurationError) console.error(`fix ${error.setting}: ${error.message}`);
 * }
 * ```
 */
export class ConfigurationError extends DualAuthError {
  /** The setting at fault, when one is. */
  readonly setting: string | undefined;

  constructor(message: string, options: ConfigurationErrorOptions = {}) {
    super('ERR_CONFIGURATION', message, options);
    this.setting = options.setting;
  }
}

/**
 * Options of {@link SecretsBackendError}.
 *
 * @example
 * ```ts
 * throw new SecretsBackendError('access denied', { backend: 'aws', secretName: 'dual-auth/AGENT_CLIENT_SECRET', cause });
 * ```
 */
export interface SecretsBackendErrorOptions extends DualAuthErrorOptions {
  /** Which backend failed: `env`, `aws`, `gcp`, `azure`, `vault` or a custom one. */
  readonly backend: string;
  /** The backend's name of the secret involved (never its value). */
  readonly secretName?: string;
}

/**
 * A secrets backend could not read a secret: not found, access denied, authentication failed,
 * unreachable or timed out. The SDK's own error is the `cause`.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof SecretsBackendError) log.error('secrets', { backend: error.backend, secret: error.secretName });
 * }
 * ```
 */
export class SecretsBackendError extends DualAuthError {
  /** The backend that failed. */
  readonly backend: string;
  /** The backend's name of the secret involved, when one is. */
  readonly secretName: string | undefined;

  constructor(message: string, options: SecretsBackendErrorOptions) {
    super('ERR_SECRETS_BACKEND', message, options);
    this.backend = options.backend;
    this.secretName = options.secretName;
  }
}

/**
 * Options of {@link TokenRequestError}.
 *
 * @example
 * ```ts
 * throw new TokenRequestError('IdP refused', { status: 401, oauthError: 'invalid_client', vendorCode: 'AADSTS7000215' });
 * ```
 */
export interface TokenRequestErrorOptions extends DualAuthErrorOptions {
  /** HTTP status of the IdP's answer, absent when no answer came (timeout, connection refused). */
  readonly status?: number;
  /** The OAuth `error` field (`invalid_client`, `access_denied`, `invalid_scope`…). */
  readonly oauthError?: string;
  /** The vendor's own code: an `AADSTS` number at Entra ID, an `errorCode` at Okta. */
  readonly vendorCode?: string;
  /**
   * Whole seconds the IdP asked us to wait, when it did: from `Retry-After`, or on a 429 from the
   * vendor's reset time (Auth0 `x-ratelimit-reset`, Okta `X-Rate-Limit-Reset`). The wait only, never
   * the headers it came from.
   */
  readonly retryAfterSeconds?: number;
  /** The vendor's sub-error, a short code: Entra's `suberror` (`consent_required`, `basic_action`…). */
  readonly subError?: string;
  /**
   * The claims challenge the IdP returned (Entra's `claims`, a JSON object as text), which the web
   * application sends back as the `claims` parameter of its next authorize request.
   */
  readonly claimsChallenge?: string;
}

/**
 * The IdP refused or failed a token request. `status`, `oauthError`, `vendorCode` and `subError` say
 * why, `retryAfterSeconds` how long the IdP asked us to wait (a 429's `Retry-After` or rate-limit
 * reset), `claimsChallenge` what the human must satisfy at the authorize endpoint (Conditional
 * Access, MFA); the client secret, assertions and response headers are never part of it. The claims
 * challenge is not enumerable, so `JSON.stringify`, `util.inspect` and log serializers leave it out.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof TokenRequestError && error.oauthError === 'access_denied') showNotApproved();
 *   if (error instanceof TokenRequestError && error.subError === 'consent_required') askAnAdminToConsent();
 *   if (error instanceof TokenRequestError && error.claimsChallenge !== undefined) {
 *     authorizeUrl.searchParams.set('claims', error.claimsChallenge); // the human signs in again
 *   }
 * }
 * ```
 */
export class TokenRequestError extends DualAuthError {
  readonly status: number | undefined;
  readonly oauthError: string | undefined;
  readonly vendorCode: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  /** The vendor's sub-error (Entra `suberror`), e.g. `consent_required`. */
  readonly subError: string | undefined;
  /** The claims challenge for the next authorize request (not enumerable: never serialized). */
  declare readonly claimsChallenge: string | undefined;

  constructor(message: string, options: TokenRequestErrorOptions = {}) {
    super('ERR_TOKEN_REQUEST', message, options);
    this.status = options.status;
    this.oauthError = options.oauthError;
    this.vendorCode = options.vendorCode;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.subError = options.subError;
    // It names the tenant's policies: the caller needs it, logs and error reports do not.
    Object.defineProperty(this, 'claimsChallenge', { value: options.claimsChallenge, enumerable: false });
  }
}

/**
 * A token store (the agent's token cache backend, e.g. Redis) could not read, write or delete a
 * token. The client's token cache treats it as a miss and warns, so the agent falls back to the
 * IdP; the store's own error, summarized, is the `cause`.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof TokenStoreError) log.warn('token store down', { cause: summarizeError(error.cause) });
 * }
 * ```
 */
export class TokenStoreError extends DualAuthError {
  constructor(message: string, options: DualAuthErrorOptions = {}) {
    super('ERR_TOKEN_STORE', message, options);
  }
}

/**
 * Why an act JWT or act assertion was refused.
 *
 * @example
 * ```ts
 * if (error instanceof ActVerificationError && error.reason === 'expired') askForAFreshJwt();
 * ```
 */
export type ActVerificationFailure =
  | 'malformed'
  | 'too_large'
  | 'algorithm_not_allowed'
  | 'signature_invalid'
  | 'key_not_found'
  | 'type_invalid'
  | 'issuer_invalid'
  | 'audience_invalid'
  | 'expired'
  | 'not_yet_valid'
  | 'lifetime_too_long'
  | 'jti_missing'
  | 'act_invalid'
  | 'binding_invalid';

/**
 * An act JWT (out-of-session hand-off) or act assertion (hybrid mode) was refused. `reason` says
 * which check failed.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof ActVerificationError) return new Response(null, { status: 401 });
 * }
 * ```
 */
export class ActVerificationError extends DualAuthError {
  /** Which check refused the JWT. */
  readonly reason: ActVerificationFailure;

  constructor(reason: ActVerificationFailure, message: string, options: DualAuthErrorOptions = {}) {
    super('ERR_ACT_VERIFICATION', message, options);
    this.reason = reason;
  }
}

/**
 * Why a replay store refused a `jti`.
 *
 * @example
 * ```ts
 * const reason: ReplayFailure = 'replayed';
 * ```
 */
export type ReplayFailure = 'replayed' | 'store_full' | 'store_unavailable';

/**
 * A single-use identifier (`jti`) could not be recorded: it was seen before, or the store cannot
 * accept it safely (full of live entries, unreachable). dual-auth fails closed in every case.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof ReplayError && error.reason === 'replayed') audit('replay attempt');
 * }
 * ```
 */
export class ReplayError extends DualAuthError {
  readonly reason: ReplayFailure;

  constructor(reason: ReplayFailure, message: string, options: DualAuthErrorOptions = {}) {
    super('ERR_REPLAY', message, options);
    this.reason = reason;
  }
}

/**
 * Options of {@link ApiCallError}.
 *
 * @example
 * ```ts
 * throw new ApiCallError('API timed out', { method: 'GET', endpoint: 'https://api.example.com/reports' });
 * ```
 */
export interface ApiCallErrorOptions extends DualAuthErrorOptions {
  /** HTTP status, absent for transport failures. */
  readonly status?: number;
  /** The request method. */
  readonly method?: string;
  /** The API's origin and path (never the query string, which may carry data). */
  readonly endpoint?: string;
}

/**
 * An API call failed in transport (timeout, refused, reset) or exhausted its retries.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof ApiCallError) log.warn('api call failed', { endpoint: error.endpoint, status: error.status });
 * }
 * ```
 */
export class ApiCallError extends DualAuthError {
  readonly status: number | undefined;
  readonly method: string | undefined;
  readonly endpoint: string | undefined;

  constructor(message: string, options: ApiCallErrorOptions = {}) {
    super('ERR_API_CALL', message, options);
    this.status = options.status;
    this.method = options.method;
    this.endpoint = options.endpoint;
  }
}

/**
 * The resource server's enforcement point refused a request. `code` is the {@link DenialCode} and
 * `httpStatus` the status to answer with.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof AccessDeniedError) return new Response(null, { status: error.httpStatus });
 * }
 * ```
 */
export class AccessDeniedError extends DualAuthError {
  declare readonly code: DenialCode;
  /** 401, 403 or 503, from {@link denialHttpStatus}. */
  readonly httpStatus: 401 | 403 | 503;

  constructor(code: DenialCode, message: string, options: DualAuthErrorOptions = {}) {
    super(code, message, options);
    this.httpStatus = denialHttpStatus[code];
  }
}

/**
 * Whether `value` is a dual-auth error, optionally of one code. Works across package copies,
 * where `instanceof` would not.
 *
 * @example
 * ```ts
 * if (isDualAuthError(error, 'ERR_REPLAY')) return reject('replayed');
 * ```
 */
export function isDualAuthError(value: unknown, code?: DualAuthErrorCode): value is DualAuthError {
  if (value instanceof DualAuthError) return code === undefined || value.code === code;
  if (!(value instanceof Error) || !('code' in value)) return false;
  const candidate = (value as { code: unknown }).code;
  return (
    typeof candidate === 'string' && knownCodes.has(candidate) && (code === undefined || candidate === code)
  );
}

const knownCodes: ReadonlySet<string> = new Set<DualAuthErrorCode>([
  'ERR_CONFIGURATION',
  'ERR_SECRETS_BACKEND',
  'ERR_TOKEN_REQUEST',
  'ERR_ACT_VERIFICATION',
  'ERR_REPLAY',
  'ERR_API_CALL',
  'ERR_TOKEN_STORE',
  'token_invalid',
  'agent_denied',
  'human_denied',
  'human_unchecked',
  'delegation_invalid',
  'idp_unavailable',
]);
