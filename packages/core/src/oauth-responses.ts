import * as v from 'valibot';
import { TokenRequestError } from './errors.ts';
import { describeIssues } from './internal/describe-issues.ts';
import { parseStrictJsonObject } from './parse-strict-json-object.ts';
import { TokenResponse } from './token-response.ts';

/**
 * Largest access token accepted from an IdP (bytes of its compact form).
 *
 * @example
 * ```ts
 * if (token.length > MAXIMUM_ACCESS_TOKEN_LENGTH) deny('token_invalid');
 * ```
 */
export const MAXIMUM_ACCESS_TOKEN_LENGTH = 16 * 1024;

const lifetimeSeconds = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number))]),
  v.number(),
  v.integer(),
  v.minValue(1),
  v.maxValue(31_536_000),
);

/**
 * valibot schema of a successful OAuth 2.0 token response (RFC 6749 §5.1), as the four vendors send
 * it: `expires_in` may be a number or a numeric string (Entra v1), `scope` is space-separated, and
 * vendor extras (`ext_expires_in`, `refresh_expires_in`, `not-before-policy`) are ignored.
 *
 * @example
 * ```ts
 * const body = v.parse(oauthTokenResponseSchema, await response.json());
 * ```
 */
export const oauthTokenResponseSchema = v.object({
  access_token: v.pipe(v.string(), v.minLength(1), v.maxLength(MAXIMUM_ACCESS_TOKEN_LENGTH)),
  token_type: v.pipe(v.string(), v.regex(/^bearer$/i, 'must be Bearer')),
  expires_in: lifetimeSeconds,
  scope: v.optional(v.pipe(v.string(), v.maxLength(4096))),
});

// Entra's claims challenges are a few hundred characters (an `access_token` member naming policies
// or an authentication context); anything far longer is not one.
const maximumClaimsChallengeLength = 4096;

// A malformed `suberror` or `claims` is dropped alone (fallback), so the rest of the refusal still reads.
const subErrorSchema = v.fallback(v.optional(v.pipe(v.string(), v.regex(/^[\w.-]{1,64}$/))), undefined);
const claimsChallengeSchema = v.fallback(
  v.optional(
    v.pipe(
      v.string(),
      v.maxLength(maximumClaimsChallengeLength),
      v.check((text) => parseStrictJsonObject(text) !== undefined),
    ),
  ),
  undefined,
);

/**
 * valibot schema of an OAuth 2.0 error response (RFC 6749 §5.2) with the vendors' extra fields:
 * Entra's `error_codes`/`trace_id`/`correlation_id`, its `suberror` (a short code such as
 * `consent_required`) and `claims` challenge (a JSON object as text; dropped when oversized, not
 * strict JSON or not an object), Okta's `errorCode`/`errorSummary`.
 *
 * @example
 * ```ts
 * const parsed = v.safeParse(oauthErrorResponseSchema, body);
 * if (parsed.success) console.log(parsed.output.error);
 * ```
 */
export const oauthErrorResponseSchema = v.object({
  error: v.optional(v.pipe(v.string(), v.maxLength(256))),
  error_description: v.optional(v.pipe(v.string(), v.maxLength(4096))),
  error_uri: v.optional(v.pipe(v.string(), v.maxLength(2048))),
  error_codes: v.optional(v.array(v.number())),
  trace_id: v.optional(v.string()),
  correlation_id: v.optional(v.string()),
  suberror: subErrorSchema,
  claims: claimsChallengeSchema,
  errorCode: v.optional(v.pipe(v.string(), v.maxLength(256))),
  errorSummary: v.optional(v.pipe(v.string(), v.maxLength(4096))),
});

/**
 * A parsed OAuth error body.
 *
 * @example
 * ```ts
 * const { error, error_description }: OAuthErrorResponse = v.parse(oauthErrorResponseSchema, body);
 * ```
 */
export type OAuthErrorResponse = v.InferOutput<typeof oauthErrorResponseSchema>;

/**
 * Validates an untrusted token-endpoint body and turns it into a {@link TokenResponse}. A body that
 * does not match throws a `TokenRequestError` naming the field, never echoing the body.
 *
 * @example
 * ```ts
 * const tokenResponse = tokenResponseFromBody(await response.json(), { receivedAt: clock() });
 * ```
 */
export function tokenResponseFromBody(body: unknown, options: { receivedAt?: number } = {}): TokenResponse {
  const result = v.safeParse(oauthTokenResponseSchema, body);
  if (!result.success) {
    throw new TokenRequestError(`The IdP's token response is malformed (${describeIssues(result.issues)}).`, {
      oauthError: 'invalid_response',
    });
  }
  const { access_token, expires_in, scope } = result.output;
  return new TokenResponse({
    accessToken: access_token,
    tokenType: 'Bearer',
    expiresIn: expires_in,
    scope: scope === undefined ? [] : scope.split(' ').filter((item) => item.length > 0),
    ...(options.receivedAt === undefined ? {} : { receivedAt: options.receivedAt }),
  });
}
