import { type TokenFlightFailure, TokenRequestError } from '@dual-auth/core';

/**
 * What the replica holding a lease shares about its failed IdP request: the public fields of a
 * `TokenRequestError` (status, OAuth error, vendor code, sub-error, wait), never the message, the
 * cause or anything else the error holds. The claims challenge stays behind (kilobytes, for one
 * caller): a waiter told `interaction_required` requests again to get its own. Any other failure (a timeout, a refused connection) shares nothing
 * but the fact that it failed.
 */
export function toFlightFailure(error: unknown): TokenFlightFailure {
  if (!(error instanceof TokenRequestError)) return {};
  return {
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.oauthError === undefined ? {} : { oauthError: error.oauthError }),
    ...(error.vendorCode === undefined ? {} : { vendorCode: error.vendorCode }),
    ...(error.subError === undefined ? {} : { subError: error.subError }),
    ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
  };
}

/** The `TokenRequestError` a waiter throws for the holder's failure: the same fields, a message naming them. */
export function fromFlightFailure(failure: TokenFlightFailure): TokenRequestError {
  const detail = [
    failure.status === undefined ? 'no answer' : `HTTP ${failure.status}`,
    failure.oauthError,
    failure.vendorCode,
    failure.subError,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
  return new TokenRequestError(
    `The token request another agent process made for this key failed: ${detail}.`,
    failure,
  );
}
