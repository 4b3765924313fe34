/**
 * The part of an HTTP answer {@link parseRateLimitWait} reads: a `Response` fits.
 *
 * @example
 * ```ts
 * const answer: RateLimitedAnswer = { status: 429, headers: new Headers({ 'retry-after': '2' }) };
 * ```
 */
export interface RateLimitedAnswer {
  readonly status: number;
  readonly headers: Headers;
}

// Farthest ahead a reset is believed: the vendors' windows are a minute to an hour, so a reset days
// away is a mis-set clock or a millisecond timestamp, and the caller's backoff is the better guess.
const maximumResetAheadMs = 24 * 60 * 60 * 1000;

// Auth0 sends `x-ratelimit-reset`, Okta `X-Rate-Limit-Reset`, both in epoch seconds; header names
// are case-insensitive, so these two cover both spellings.
const resetHeaderNames = ['x-ratelimit-reset', 'x-rate-limit-reset'] as const;

function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  // An HTTP-date has a weekday and month name; a bare number Date.parse would read as a year.
  if (text.length > 64 || !/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function resetMs(headers: Headers, now: number): number | undefined {
  for (const name of resetHeaderNames) {
    const text = headers.get(name)?.trim();
    if (text === undefined || !/^\d{1,10}$/.test(text)) continue;
    const waitMs = Number(text) * 1000 - now;
    if (waitMs > 0 && waitMs <= maximumResetAheadMs) return waitMs;
  }
  return undefined;
}

/**
 * How long, in ms from `now`, an HTTP answer asks the caller to wait before trying again:
 * `Retry-After` (delta-seconds or an HTTP-date, RFC 9110 §10.2.3) when present and readable; else,
 * on a 429, the vendor's reset time in epoch seconds (Auth0 `x-ratelimit-reset`, Okta
 * `X-Rate-Limit-Reset`). `undefined` when neither says anything usable — a reset in the past, more
 * than a day ahead, or not a number of seconds — so the caller falls back to its own backoff.
 * Never negative. Callers cap the result with their own maximum wait.
 *
 * @example
 * ```ts
 * const waitMs = parseRateLimitWait(response, clock()) ?? backoffMs;
 * if (waitMs <= maxDelayMs) await sleep(waitMs);
 * ```
 */
export function parseRateLimitWait(answer: RateLimitedAnswer, now: number): number | undefined {
  const fromRetryAfter = retryAfterMs(answer.headers.get('retry-after'), now);
  if (fromRetryAfter !== undefined) return fromRetryAfter;
  return answer.status === 429 ? resetMs(answer.headers, now) : undefined;
}
