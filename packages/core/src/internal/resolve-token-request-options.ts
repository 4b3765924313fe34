import type { PostTokenRequestOptions } from '../post-token-request.ts';

/** Applies the defaults of `postTokenRequest` and rejects out-of-range values with a `TypeError`. */
export function resolveTokenRequestOptions(options: Pick<PostTokenRequestOptions, 'timeoutMs' | 'retry'>): {
  limit: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
} {
  const limit = options.retry?.limit ?? 2;
  const baseDelayMs = options.retry?.baseDelayMs ?? 200;
  const maxDelayMs = options.retry?.maxDelayMs ?? 5000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isInteger(limit) || limit < 0 || limit > 10) {
    throw new TypeError('retry.limit must be an integer from 0 to 10');
  }
  for (const [name, value] of [
    ['retry.baseDelayMs', baseDelayMs],
    ['retry.maxDelayMs', maxDelayMs],
  ] as const) {
    if (!Number.isFinite(value) || value < 0 || value > 60_000) {
      throw new TypeError(`${name} must be between 0 and 60000 milliseconds`);
    }
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs < 1 || timeoutMs > 120_000) {
    throw new TypeError('timeoutMs must be between 1 and 120000 milliseconds');
  }
  return { limit, baseDelayMs, maxDelayMs, timeoutMs };
}
