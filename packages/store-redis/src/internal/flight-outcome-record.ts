import type { TokenFlightFailure } from '@dual-auth/core';

/** What the holder of a lease leaves for its waiters: whose flight it was, and how it ended. */
export type FlightOutcomeRecord =
  | { readonly owner: string; readonly result: 'stored' }
  | { readonly owner: string; readonly result: 'failed'; readonly failure: TokenFlightFailure };

const MAXIMUM_RECORD_LENGTH = 1024;
// RFC 6749 §5.2: the `error` value is drawn from %x20-21 / %x23-5B / %x5D-7E.
const oauthErrorPattern = /^[\x20\x21\x23-\x5b\x5d-\x7e]{1,128}$/;
const vendorCodePattern = /^[\w.-]{1,64}$/;
const ownerPattern = /^[\w-]{1,64}$/;

/**
 * Only the typed fields of a failure, each checked: what crosses processes can carry no message,
 * no cause and no free text, whether it is written by this process or read from Redis.
 */
export function sanitizeFailure(value: unknown): TokenFlightFailure {
  const shape = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { status, oauthError, vendorCode, subError, retryAfterSeconds } = shape;
  return {
    ...(Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599
      ? { status: status as number }
      : {}),
    ...(typeof oauthError === 'string' && oauthErrorPattern.test(oauthError) ? { oauthError } : {}),
    ...(typeof vendorCode === 'string' && vendorCodePattern.test(vendorCode) ? { vendorCode } : {}),
    ...(typeof subError === 'string' && vendorCodePattern.test(subError) ? { subError } : {}),
    ...(typeof retryAfterSeconds === 'number' && retryAfterSeconds >= 0 && retryAfterSeconds <= 86_400
      ? { retryAfterSeconds }
      : {}),
  };
}

/** The record as stored in Redis. */
export function encodeOutcomeRecord(record: FlightOutcomeRecord): string {
  return JSON.stringify(
    record.result === 'failed' ? { ...record, failure: sanitizeFailure(record.failure) } : record,
  );
}

/** The record stored as `text`, or `undefined` when there is none or it is malformed. */
export function decodeOutcomeRecord(text: string | null): FlightOutcomeRecord | undefined {
  if (text === null || text.length > MAXIMUM_RECORD_LENGTH) return undefined;
  let value: { owner?: unknown; result?: unknown; failure?: unknown };
  try {
    value = JSON.parse(text) as typeof value;
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { owner, result, failure } = value;
  if (typeof owner !== 'string' || !ownerPattern.test(owner)) return undefined;
  if (result === 'stored') return { owner, result };
  if (result === 'failed') return { owner, result, failure: sanitizeFailure(failure) };
  return undefined;
}
