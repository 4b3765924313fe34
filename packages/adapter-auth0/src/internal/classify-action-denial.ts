import { isDualAuthError, TokenRequestError } from '@dual-auth/core';

/**
 * Which pre-approval an Auth0 token refusal reports, from the reason dual-auth's
 * credentials-exchange Action gives `api.access.deny('invalid_request', reason)`: Auth0 answers
 * HTTP 400 with that code and the reason as `error_description`, so the reason is all that tells
 * an agent that is not approved from a human who is not.
 */
export type Auth0ActionDenial = 'agent_not_approved' | 'human_not_approved';

// The reasons credentials-exchange-action.cjs writes (packages/iam/auth0).
const agentReason = /\(client is not an approved agent\b/;
const humanReason =
  /\((?:user \S+|a subject that looks like an email) (?:does not exist|lacks the role |has not approved agent )/;

/** The denial an Action reason in a refusal's message names, if any. */
export function actionDenialOf(error: TokenRequestError): Auth0ActionDenial | undefined {
  if (error.status !== 400 || error.oauthError !== 'invalid_request') return undefined;
  if (agentReason.test(error.message)) return 'agent_not_approved';
  if (humanReason.test(error.message)) return 'human_not_approved';
  return undefined;
}

/**
 * The same refusal with `vendorCode` naming the Action's denial (`agent_not_approved` or
 * `human_not_approved`); any other error unchanged.
 */
export function classifyActionDenial(error: unknown): unknown {
  if (!isDualAuthError(error, 'ERR_TOKEN_REQUEST')) return error;
  const refusal = error as TokenRequestError;
  const denial = actionDenialOf(refusal);
  if (denial === undefined || refusal.vendorCode !== undefined) return error;
  return new TokenRequestError(refusal.message, {
    status: 400,
    oauthError: 'invalid_request',
    vendorCode: denial,
    ...(refusal.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: refusal.retryAfterSeconds }),
    cause: refusal,
  });
}
