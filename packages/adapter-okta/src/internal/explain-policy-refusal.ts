import { TokenRequestError } from '@dual-auth/core';

// Okta's description of no_matching_policy (its OAuth 2.0 error catalogue, okta/okta-developer-docs
// packages/@okta/vuepress-site/data/oauth2-error-codes.json): 401 access_denied.
const policyEvaluationFailed = /Policy evaluation failed for this request/i;

/** The authorization server id of a custom server's token URL (`…/oauth2/{id}/v1/token`). */
export function authorizationServerOf(tokenEndpoint: string): string {
  return /\/oauth2\/([^/]+)\/v1\/token$/.exec(new URL(tokenEndpoint).pathname)?.[1] ?? tokenEndpoint;
}

/**
 * Turns Okta's `no_matching_policy` refusal into one that says what to change: no access policy of
 * the authorization server is assigned to the client, or none of its rules allows the grant
 * (client credentials, or Token Exchange in exchange mode) with every requested scope. Names the server, the client id and the
 * scopes, never a secret; keeps status and OAuth error, sets `vendorCode` to `no_matching_policy`
 * and the original refusal as `cause`. Any other error is returned as it is.
 */
export function explainPolicyRefusal(
  error: unknown,
  request: {
    readonly tokenEndpoint: string;
    readonly clientId: string;
    readonly scope: readonly string[];
    readonly grant?: 'client_credentials' | 'token_exchange';
  },
): unknown {
  if (
    !(error instanceof TokenRequestError) ||
    error.oauthError !== 'access_denied' ||
    !policyEvaluationFailed.test(error.message)
  ) {
    return error;
  }
  const server = authorizationServerOf(request.tokenEndpoint);
  const scopes = request.scope.length === 0 ? 'the requested scopes' : `scope ${request.scope.join(' ')}`;
  const exchange = request.grant === 'token_exchange';
  const what = exchange ? "exchange a human's token for a token" : 'get a client_credentials token';
  return new TokenRequestError(
    `Okta refused the token request (HTTP ${error.status ?? '?'} access_denied, "Policy evaluation failed"): ` +
      `no access-policy rule of authorization server ${server} lets client ${request.clientId} ${what} ` +
      `with ${scopes}. Add an access policy assigned to this client on that server with a rule allowing ` +
      `the ${exchange ? 'Token Exchange' : 'Client Credentials'} grant and these scopes (Security > API > ` +
      `Authorization Servers > ${server} > Access Policies; Terraform: okta_auth_server_policy and _rule).`,
    {
      ...(error.status === undefined ? {} : { status: error.status }),
      oauthError: 'access_denied',
      vendorCode: 'no_matching_policy',
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
      cause: error,
    },
  );
}
