// Texts of Okta's OAuth 2.0 error catalogue that more than one of Okta's grants answers with:
// okta/okta-developer-docs, packages/@okta/vuepress-site/data/oauth2-error-codes.json (release
// 2026.08.1), the data behind https://developer.okta.com/docs/api/openapi/okta-oauth/guides/overview/#error-codes.

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
