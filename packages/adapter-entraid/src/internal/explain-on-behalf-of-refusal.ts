import { isDualAuthError, TokenRequestError } from '@dual-auth/core';

// What an operator does about each refusal of an on-behalf-of request. The codes and their meaning:
// learn.microsoft.com/entra/identity-platform/reference-error-codes (AADSTS50013, 500133, 65001,
// 70011, 50076, 50079) and v2-oauth2-on-behalf-of-flow ("Gaining consent for the middle-tier
// application", the interaction_required example); AADSTS500131 as Entra words it in
// OfficeDev/microsoft-teams-apps-company-communicator#214 and microsoft/AzureTRE-Deployment#65.
// The admin consent URL: learn.microsoft.com/entra/identity-platform/v2-admin-consent. The claims
// challenge goes back as the authorize request's `claims` parameter: entra/identity-platform/
// claims-challenge, and MSAL's InteractionRequiredAuthError `claims`. Its value is never in a message.
const sendClaimsChallenge =
  "the web application must send the human to Entra's authorize endpoint again with the error's claimsChallenge as the `claims` parameter, then give the agent the new token; an agent cannot satisfy it";
const fixes: Readonly<Record<string, string>> = {
  AADSTS50013:
    "the human's token is not a valid access token of this tenant (an ID token, another tenant's, or not signed by Entra): pass the access token the web application got for the agent app",
  AADSTS500133:
    "the human's token has expired: the web application must get a fresh one (silently, or by signing the human in again) before the agent exchanges it",
  AADSTS500131:
    "the human's token was issued for another application: the web application must request it for the agent app (a scope the agent app exposes, e.g. api://{agent app}/access_as_user), and only that token goes to the agent",
  AADSTS65001:
    "consent_required: nobody consented to the agent app's delegated permission on the API; a tenant admin grants it at https://login.microsoftonline.com/{tenant}/v2.0/adminconsent?client_id={agent app id}&scope={API}/.default&redirect_uri={a registered redirect URI} (or under the agent app's API permissions), or the API pre-authorizes the agent app",
  AADSTS70011:
    'API_SCOPE names a scope the API does not expose: use {API}/.default or delegated scopes the API app lists under "Expose an API"',
  AADSTS50076: `interaction_required: Conditional Access wants multifactor authentication for the API; ${sendClaimsChallenge}`,
  AADSTS50079: `interaction_required: the human must register for multifactor authentication before Entra issues a token for the API; ${sendClaimsChallenge}`,
};

/**
 * The same refusal with what to do about it appended to the message, for the on-behalf-of
 * refusals whose cause is in the human's token, in consent or in Conditional Access; any other
 * error unchanged. `status`, `oauthError`, `vendorCode` (the `AADSTSnnnn`), `subError` and
 * `claimsChallenge` are kept.
 */
export function explainOnBehalfOfRefusal(error: unknown): unknown {
  if (!isDualAuthError(error, 'ERR_TOKEN_REQUEST')) return error;
  const refusal = error as TokenRequestError;
  const fix =
    (refusal.vendorCode === undefined ? undefined : fixes[refusal.vendorCode]) ??
    (refusal.oauthError === 'interaction_required' && refusal.claimsChallenge !== undefined
      ? `interaction_required: Conditional Access wants more of the human; ${sendClaimsChallenge}`
      : undefined);
  if (fix === undefined) return error;
  return new TokenRequestError(`${refusal.message} Fix: ${fix}.`, {
    ...(refusal.status === undefined ? {} : { status: refusal.status }),
    ...(refusal.oauthError === undefined ? {} : { oauthError: refusal.oauthError }),
    ...(refusal.vendorCode === undefined ? {} : { vendorCode: refusal.vendorCode }),
    ...(refusal.subError === undefined ? {} : { subError: refusal.subError }),
    ...(refusal.claimsChallenge === undefined ? {} : { claimsChallenge: refusal.claimsChallenge }),
    ...(refusal.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: refusal.retryAfterSeconds }),
    cause: refusal,
  });
}
