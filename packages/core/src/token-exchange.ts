/**
 * The RFC 8693 token-exchange grant type (`grant_type`), §2.1.
 *
 * @example
 * ```ts
 * const body = new URLSearchParams({ grant_type: TOKEN_EXCHANGE_GRANT_TYPE, subject_token, subject_token_type: SUBJECT_TOKEN_TYPE_ACCESS_TOKEN });
 * ```
 */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/**
 * The RFC 8693 token type of an OAuth access token (`subject_token_type`, `issued_token_type`), §3.
 *
 * @example
 * ```ts
 * if (body.issued_token_type !== SUBJECT_TOKEN_TYPE_ACCESS_TOKEN) throw new TypeError('not an access token');
 * ```
 */
export const SUBJECT_TOKEN_TYPE_ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * The HTTP header that carries the human's access token (the subject token) from the application
 * to a remote agent, beside the act JWT and never inside it or in a URL (docs/token-exchange.md,
 * "How the human's token reaches a remote agent").
 *
 * @example
 * ```ts
 * const subjectToken = request.headers.get(SUBJECT_TOKEN_HEADER); // wrap it in a Secret at once
 * ```
 */
export const SUBJECT_TOKEN_HEADER = 'X-Subject-Token';
