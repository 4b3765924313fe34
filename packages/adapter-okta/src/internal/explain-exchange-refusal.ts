import { TokenRequestError } from '@dual-auth/core';
import { authorizationServerOf, explainPolicyRefusal } from './explain-policy-refusal.ts';

/** What the fixes name: never a secret, never the subject token. */
export interface ExchangeRequest {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly scope: readonly string[];
  readonly audience: string;
}

interface ExchangeRefusalRule {
  readonly oauthError: string;
  /** Okta's `error_description`, as core's message quotes it. */
  readonly description: RegExp;
  /** Okta's internalErrorCode for it. */
  readonly vendorCode: string;
  readonly fix: (request: ExchangeRequest, server: string) => string;
}

// Okta's refusals of an on-behalf-of token exchange, from its OAuth 2.0 error catalogue
// (okta/okta-developer-docs packages/@okta/vuepress-site/data/oauth2-error-codes.json, release
// 2026.08.1, by internalErrorCode) and what to change for each ("Set up OAuth 2.0 On-Behalf-Of
// Token Exchange", developer.okta.com/docs/guides/set-up-token-exchange).
const rules: readonly ExchangeRefusalRule[] = [
  {
    oauthError: 'unauthorized_client',
    description: /not authorized to use the provided grant type/,
    vendorCode: 'unauthorized_client',
    fix: ({ clientId }) =>
      `service app ${clientId} does not have the Token Exchange grant. Select Token Exchange as a grant ` +
      'type of the app (Applications > Applications > the app > General Settings; Terraform: ' +
      'token_exchange = true in packages/iam/okta, which adds urn:ietf:params:oauth:grant-type:token-exchange ' +
      'to grant_types of okta_app_oauth).',
  },
  {
    oauthError: 'invalid_request',
    description: /Only service clients may use on-behalf token exchange/,
    vendorCode: 'on_behalf_invalid_client_type',
    fix: ({ clientId }) =>
      `client ${clientId} is not a service app: only an API Services app may exchange a user's token ` +
      'on their behalf. Set AGENT_CLIENT_ID to the API Services app of the agent.',
  },
  {
    oauthError: 'invalid_request',
    description: /'subject_token_type' is invalid/,
    vendorCode: 'invalid_subject_token_type',
    fix: () =>
      'Okta exchanges access tokens only (subject_token_type urn:ietf:params:oauth:token-type:access_token).',
  },
  {
    oauthError: 'invalid_request',
    description: /'subject_token' is invalid/,
    vendorCode: 'invalid_subject_token',
    fix: (_request, server) =>
      `the human's token (subjectToken) is not a user's access token that authorization server ${server} ` +
      `issued and can verify. Pass the access token the application received for the human from ${server} ` +
      "(not an ID token, not a client-credentials token, not another server's token).",
  },
  {
    oauthError: 'invalid_grant',
    description: /'subject_token' either expired|session associated with it was terminated/,
    vendorCode: 'token_exchange_subject_token_expired',
    fix: () =>
      "the human's token expired or their Okta session ended: get a fresh access token for the human " +
      '(sign-in or refresh) and exchange that one.',
  },
  {
    oauthError: 'access_denied',
    description: /'subject_token' issuer isn't a trusted authorization server/,
    vendorCode: 'associated_server_not_trusted',
    fix: (_request, server) =>
      `the human's token comes from another authorization server, which ${server} does not trust. Add ` +
      `it under Trusted servers of ${server} (Security > API > Authorization Servers > ${server}), or ` +
      'set OKTA_TOKEN_URL to the token endpoint of the server that issued the human token.',
  },
  {
    oauthError: 'invalid_target',
    description: /must include a valid audience of the authorization server/,
    vendorCode: 'token_exchange_invalid_audience',
    fix: ({ audience }, server) =>
      `audience ${audience} is not the audience of authorization server ${server}. Set API_AUDIENCE to ` +
      `that server's Audience (Security > API > Authorization Servers > ${server} > Settings).`,
  },
  {
    oauthError: 'invalid_scope',
    description: /Can't request 'openid' scopes using the Token Exchange flow/,
    vendorCode: 'openid_not_allowed_token_exchange',
    fix: () =>
      'a service app may not request OpenID Connect scopes (openid, profile, email, offline_access…) ' +
      "in a token exchange. Set API_SCOPE to the API's custom scopes only.",
  },
  {
    oauthError: 'invalid_scope',
    description: /One or more scopes are not configured for the authorization server resource/,
    vendorCode: 'no_matching_scope',
    fix: ({ scope }, server) =>
      `authorization server ${server} does not define every scope of ${scope.join(' ')}. Add them ` +
      `(Security > API > Authorization Servers > ${server} > Scopes) or change API_SCOPE.`,
  },
  {
    oauthError: 'unsupported_grant_type',
    description: /token-exchange' grant type is not supported/,
    vendorCode: 'unsupported_grant_type_token_exchange',
    fix: () =>
      'this authorization server does not support token exchange. Use a custom authorization server ' +
      '(API Access Management) and turn on OAuth 2.0 On-Behalf-Of Token Exchange (Settings > Features).',
  },
  {
    oauthError: 'invalid_grant',
    description: /SKU is not enabled/,
    vendorCode: 'invalid_grant_type_or_token_exchange_sku_not_enabled',
    fix: () =>
      'the org lacks the product the grant needs: on-behalf-of token exchange requires API Access ' +
      'Management (custom authorization servers).',
  },
];

/**
 * Turns Okta's refusal of an on-behalf-of token exchange into one that says what to change: the
 * same status and OAuth error, `vendorCode` = Okta's internal error code, the original refusal as
 * `cause`. A client no access-policy rule matches is explained as in hybrid mode, for the Token
 * Exchange grant. Any other error is returned as it is.
 */
export function explainExchangeRefusal(error: unknown, request: ExchangeRequest): unknown {
  if (!(error instanceof TokenRequestError)) return error;
  const rule = rules.find(
    (candidate) => candidate.oauthError === error.oauthError && candidate.description.test(error.message),
  );
  if (rule === undefined) return explainPolicyRefusal(error, { ...request, grant: 'token_exchange' });
  const server = authorizationServerOf(request.tokenEndpoint);
  return new TokenRequestError(
    `Okta refused the token exchange (HTTP ${error.status ?? '?'} ${rule.oauthError}, ${rule.vendorCode}): ` +
      rule.fix(request, server),
    {
      ...(error.status === undefined ? {} : { status: error.status }),
      oauthError: rule.oauthError,
      vendorCode: rule.vendorCode,
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
      cause: error,
    },
  );
}
