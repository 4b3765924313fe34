/**
 * The status, headers and body of one emulated 429 from a vendor's token endpoint (each vendor's
 * own in its emulation, `VendorEmulation.rateLimitResponse`).
 */
export interface RateLimitResponse {
  readonly status: 429;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A JSON 429 with these extra headers. */
export function jsonRateLimitResponse(
  body: unknown,
  headers: Readonly<Record<string, string>>,
): RateLimitResponse {
  return {
    status: 429,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * The reset instant of a window that ends `waitSeconds` after `now` (ms), in epoch seconds rounded
 * down like a window boundary: the wait a client computes is at most waitSeconds, and 0 means
 * "already reset".
 */
export function rateLimitResetSeconds(now: number, waitSeconds: number): string {
  return String(Math.floor(now / 1000) + waitSeconds);
}
