import { isDualAuthError, TokenRequestError } from '@dual-auth/core';

/**
 * Which on-behalf-of refusal an Auth0 answer is. Auth0 documents the statuses (400 missing
 * parameters or a chain too deep, 401 an invalid or expired subject token, 403 a client without
 * permission or a scope the user lacks: auth0.com/docs/api/authentication/on-behalf-of-token-exchange/get-token)
 * and one text, the depth refusal; the others are told apart by status and OAuth error.
 */
export type Auth0ExchangeRefusal =
  | 'not_custom_api_client'
  | 'subject_token_rejected'
  | 'delegation_too_deep'
  | 'scope_not_granted'
  | 'audience_not_found';

interface Rule {
  readonly code: Auth0ExchangeRefusal;
  readonly status: number;
  readonly oauthError: string;
  readonly text?: RegExp;
  readonly fix: string;
}

const rules: readonly Rule[] = [
  {
    code: 'not_custom_api_client',
    status: 403,
    oauthError: 'unauthorized_client',
    fix: "only a Custom API client may exchange: give the agent an application of type Custom API client (app_type resource_server, linked to the agent's API by the same identifier) and switch on On-Behalf-Of Token Exchange (token_exchange.allow_any_profile_of_type on_behalf_of_token_exchange)",
  },
  {
    code: 'subject_token_rejected',
    status: 401,
    oauthError: 'invalid_grant',
    fix: "the human's token is not a valid, unexpired access token of this tenant for the agent's own API: the web application must get a fresh one whose audience is the agent's API identifier, and hand the agent only that",
  },
  {
    code: 'delegation_too_deep',
    status: 400,
    oauthError: 'invalid_request',
    text: /Delegation chain \(`?act`? claim\) depth exceeds/,
    fix: 'the subject token already carries the five nested act levels Auth0 allows: shorten the chain of agents (each exchange adds one level, the first adds two: the agent and the web application)',
  },
  {
    code: 'scope_not_granted',
    status: 403,
    oauthError: 'access_denied',
    text: /not been granted scopes/,
    fix: "API_SCOPE names a scope the human's roles (RBAC) or the agent's user-delegated client grant do not give for API_AUDIENCE: request fewer scopes, or none (Auth0 then grants all of the human's)",
  },
  {
    code: 'audience_not_found',
    status: 403,
    oauthError: 'access_denied',
    text: /Service not found/,
    fix: "API_AUDIENCE must be the identifier of an API of the tenant (Applications > APIs): the downstream API's, not the agent's own",
  },
];

/**
 * The same on-behalf-of refusal with `vendorCode` naming it and what to do about it appended to
 * the message; any other error (a bad client secret is 401 `access_denied`) unchanged.
 */
export function explainExchangeRefusal(error: unknown): unknown {
  if (!isDualAuthError(error, 'ERR_TOKEN_REQUEST')) return error;
  const refusal = error as TokenRequestError;
  const rule = rules.find(
    (candidate) =>
      candidate.status === refusal.status &&
      candidate.oauthError === refusal.oauthError &&
      (candidate.text === undefined || candidate.text.test(refusal.message)),
  );
  if (rule === undefined || refusal.vendorCode !== undefined) return error;
  return new TokenRequestError(`${refusal.message} Fix: ${rule.fix}.`, {
    status: rule.status,
    oauthError: rule.oauthError,
    vendorCode: rule.code,
    ...(refusal.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: refusal.retryAfterSeconds }),
    cause: refusal,
  });
}
