// Okta's emulation rules, one place for all of them. Each is pinned by a test that names its source
// (packages/testkit/test/okta-emulation.test.ts) and listed in docs/vendor-fidelity.md ("## Okta").
// The error texts are Okta's own, from its OAuth 2.0 error catalogue: okta/okta-developer-docs,
// packages/@okta/vuepress-site/data/oauth2-error-codes.json (release 2026.08.1), the data behind
// https://developer.okta.com/docs/api/openapi/okta-oauth/guides/overview/#error-codes.
import { randomUUID } from 'node:crypto';
import type { Refusal, ShapedResponse } from '../shape-responses.ts';

/** An Okta token-endpoint error: its HTTP status, OAuth `error` and `error_description`. */
export interface OktaOAuthError {
  readonly status: number;
  readonly error: string;
  readonly description: string;
}

/**
 * `no_matching_policy`: no access policy of the authorization server lists the client, or no rule
 * of it matches the grant type and every requested scope (a rule covering fewer scopes does not
 * match, and evaluation moves on). Okta's catalogue gives 401 `access_denied`.
 */
export const oktaNoMatchingPolicy: OktaOAuthError = {
  status: 401,
  error: 'access_denied',
  description: 'Policy evaluation failed for this request, please check the policy configurations.',
};

/** `no_default_scopes`: a client_credentials request without `scope`. */
export const oktaNoDefaultScopes =
  "The authorization server resource does not have any configured default scopes, 'scope' must be provided.";

/** `no_matching_scope`: a requested scope the authorization server does not define. */
export const oktaNoMatchingScope =
  'One or more scopes are not configured for the authorization server resource.';

/** Why Okta refuses these requested scopes (400 `invalid_scope`), or `undefined`. */
export function oktaScopeRefusal(
  requested: readonly string[],
  defined: readonly string[],
): string | undefined {
  if (requested.length === 0) return oktaNoDefaultScopes;
  const known = new Set(defined);
  return requested.every((scope) => known.has(scope)) ? undefined : oktaNoMatchingScope;
}

/**
 * Okta's client-assertion timing rules ("Build a self-signed JWT for client authentication",
 * docs/guides/build-self-signed-jwt): `exp` is required and may be at most one hour in the future;
 * `iat` is optional and, when present, must be before the request is received; `jti` is optional
 * (single-use when present). oidc-provider itself also requires `jti`, so the emulator is stricter
 * there. How much clock skew Okta tolerates is not documented; none is allowed here.
 */
export const oktaAssertionRules = { maximumExpiresInSeconds: 3600 } as const;

/** Okta's words for an assertion timing it refuses, or `undefined`. */
export function oktaAssertionTimingFailure(
  claims: Record<string, unknown>,
  nowSeconds: number,
): string | undefined {
  const { exp, iat } = claims;
  if (typeof exp !== 'number')
    return "The client_assertion must contain the 'exp' claim as seconds since epoch.";
  if (exp - nowSeconds > oktaAssertionRules.maximumExpiresInSeconds) {
    return 'The client_assertion token has an expiration too far into the future.';
  }
  if (iat !== undefined && (typeof iat !== 'number' || iat > nowSeconds)) {
    return 'The client_assertion token must be issued before the current time.';
  }
  return undefined;
}

// oidc-provider's (and the profile's own) words for an assertion failure, and Okta's for the same.
const oktaAssertionWords: readonly [RegExp, string][] = [
  [/^The client_assertion /, ''],
  [/must only be used once/i, 'The client_assertion token has already been used.'],
  [/jwt expired/i, 'The client_assertion token is expired.'],
  [
    /expiration must be specified/i,
    "The client_assertion must contain the 'exp' claim as seconds since epoch.",
  ],
  [
    /audience|\baud\b/i,
    'The audience claim for client_assertion must be the endpoint invoked for the request.',
  ],
  [/^iss \(JWT issuer\)/, 'The issuer claim for client_assertion is not a valid client_id.'],
  [/^sub \(JWT subject\)/, 'The subject claim for client_assertion is not a valid client_id.'],
  [/signature/i, 'The client_assertion signature is invalid.'],
  [/alg mismatch/i, 'The client_assertion JWT signature algorithm is invalid.'],
  [/JWT (?:malformed|format)|Invalid Compact JWS|decode/i, 'The parsing of the client_assertion failed.'],
];

/** Okta's description for a refused client assertion, from the failure's detail. */
export function oktaAssertionDescription(detail: string): string {
  const known = oktaAssertionWords.find(([pattern]) => pattern.test(detail));
  if (known === undefined) return detail;
  return known[1] === '' ? detail : known[1];
}

function oauth(status: number, error: string, description: string): ShapedResponse {
  return { status, body: { error, error_description: description } };
}

/** The answer Okta's custom authorization server gives for a refusal, in its shape and words. */
export function oktaRefusalResponse(refusal: Refusal): ShapedResponse {
  const { kind, description } = refusal;
  switch (kind) {
    case 'unknown_client':
      // The token endpoint answers an unknown client in Okta's API error shape, not OAuth's.
      return {
        status: 401,
        body: {
          errorCode: 'invalid_client',
          errorSummary: "Invalid value for 'client_id' parameter.",
          errorLink: 'invalid_client',
          errorId: `oae${randomUUID().replace(/-/g, '').slice(0, 19)}`,
          errorCauses: [],
        },
      };
    case 'bad_client_secret':
      return oauth(401, 'invalid_client', 'The client secret supplied for a confidential client is invalid.');
    case 'bad_client_assertion':
      return oauth(401, 'invalid_client', oktaAssertionDescription(description));
    case 'unsupported_auth_method':
      return oauth(
        401,
        'invalid_client',
        'Client authentication failed. Either the client or the client credentials are invalid.',
      );
    case 'agent_not_approved':
      return oauth(oktaNoMatchingPolicy.status, oktaNoMatchingPolicy.error, oktaNoMatchingPolicy.description);
    case 'invalid_scope':
      return oauth(400, 'invalid_scope', description);
    case 'human_not_approved':
      return oauth(403, 'access_denied', description);
    default:
      return oauth(refusal.status ?? 400, refusal.error ?? 'invalid_request', description);
  }
}

/**
 * The claims of an Okta client-credentials access token (docs/concepts/oauth-claims, "Claims in
 * access tokens"; the OAuth API's "Reserved claims in the payload section"): `ver` 1, `jti` `AT.…`,
 * `iss`, `aud`, `iat`, `exp`, `cid` = the client id, `scp` = the granted scopes, `sub` = the client
 * id. No `uid` and no `groups`: the client-credentials flow never has a user context
 * (docs/guides/implement-grant-type, Client Credentials, "Create custom scopes"), and groups claims
 * filter a user's groups (docs/guides/customize-tokens-groups-claim). Custom claims an authorization
 * server defines (an expression such as `app.profile.agent_roles`) come after these.
 */
export function oktaAccessTokenPayload(input: {
  readonly payload: Record<string, unknown>;
  readonly clientId: string;
  readonly audience: string;
  readonly scopes: readonly string[];
  readonly customClaims: Record<string, unknown>;
}): Record<string, unknown> {
  const { iss, iat, exp, jti } = input.payload;
  // Never a user's claims in a client-credentials token, whatever a customizer added.
  const { groups: _groups, uid: _uid, ...customClaims } = input.customClaims;
  return {
    ver: 1,
    jti: `AT.${String(jti ?? randomUUID()).replace(/[^\w-]/g, '')}`,
    iss,
    aud: input.audience,
    iat,
    exp,
    cid: input.clientId,
    scp: [...input.scopes],
    sub: input.clientId,
    ...customClaims,
  };
}
