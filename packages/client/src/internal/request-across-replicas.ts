import type { Logger, TokenFlightClaim, TokenLease, TokenResponse, TokenSingleFlight } from '@dual-auth/core';
import { errorKind } from './error-kind.ts';
import { fromFlightFailure, toFlightFailure } from './token-flight-failure.ts';

/** One cache miss to settle across every process that shares the store's single-flight. */
export interface SharedTokenRequest {
  readonly key: string;
  readonly singleFlight: TokenSingleFlight;
  /** One IdP request; its token is not stored yet. */
  readonly requestFromIdp: () => Promise<TokenResponse>;
  /** A token in the store that may be served, or `undefined`; never throws. */
  readonly readServable: () => Promise<TokenResponse | undefined>;
  /** Stores a token; never throws. */
  readonly storeToken: (token: TokenResponse) => Promise<void>;
  readonly logger: Logger;
}

// A lease that ends without an outcome (its holder died, or found a token already stored) sends
// its waiters back to claim again; after this many rounds a waiter asks the IdP itself.
const MAXIMUM_CLAIMS = 4;

/**
 * The token for one key with one IdP request across every replica: the first to claim the key
 * asks the IdP and stores the token; the others wait for it, or fail with the same typed error
 * when it fails. When the store's single-flight itself fails or a wait runs out, this process asks
 * the IdP (a warning says so): a cost in IdP requests, never a stuck caller or a wrong token.
 */
export async function requestAcrossReplicas(request: SharedTokenRequest): Promise<TokenResponse> {
  const { key, singleFlight, logger } = request;
  for (let round = 0; round < MAXIMUM_CLAIMS; round++) {
    let claim: TokenFlightClaim;
    try {
      claim = await singleFlight.claim(key);
    } catch (error) {
      logger.warn('token store lease failed; requesting a token without it', { error: errorKind(error) });
      return requestAndStore(request);
    }
    if (claim.role === 'holder') return requestAsHolder(claim.lease, request);
    let outcome: Awaited<ReturnType<typeof claim.wait>>;
    try {
      outcome = await claim.wait();
    } catch (error) {
      logger.warn('waiting for another agent process failed; requesting a token here', {
        error: errorKind(error),
      });
      return requestAndStore(request);
    }
    if (outcome.kind === 'token') return outcome.token;
    if (outcome.kind === 'failed') throw fromFlightFailure(outcome.failure);
    if (outcome.kind === 'timed_out') {
      logger.warn('another agent process took too long to request a token; requesting it here');
      return requestAndStore(request);
    }
  }
  logger.warn('token request leases kept ending without a token; requesting it here');
  return requestAndStore(request);
}

async function requestAsHolder(lease: TokenLease, request: SharedTokenRequest): Promise<TokenResponse> {
  const { logger } = request;
  // The holder before us may have stored the token between our store read and our claim. It is
  // handed on as this lease's outcome: released without one, every waiter would claim again.
  const stored = await request.readServable();
  if (stored !== undefined) {
    await lease.fulfil(stored).catch((error: unknown) => warnSettle(logger, error));
    return stored;
  }
  let token: TokenResponse;
  try {
    token = await request.requestFromIdp();
  } catch (error) {
    await lease.fail(toFlightFailure(error)).catch((settleError: unknown) => warnSettle(logger, settleError));
    throw error;
  }
  try {
    await lease.fulfil(token);
  } catch (error) {
    logger.warn('token store write failed; token served uncached', { error: errorKind(error) });
  }
  return token;
}

async function requestAndStore(request: SharedTokenRequest): Promise<TokenResponse> {
  const token = await request.requestFromIdp();
  await request.storeToken(token);
  return token;
}

function warnSettle(logger: Logger, error: unknown): void {
  logger.warn('token store lease release failed; other agent processes wait for it to expire', {
    error: errorKind(error),
  });
}
