import type { Vendor } from '@dual-auth/core';

/**
 * The status, headers and body of one emulated 429 from a vendor's token endpoint.
 *
 * @example
 * ```ts
 * const { status, headers, body } = rateLimitResponse('okta', 30, Date.now());
 * response.writeHead(status, headers).end(body);
 * ```
 */
export interface RateLimitResponse {
  readonly status: 429;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

function json(body: unknown): Pick<RateLimitResponse, 'headers' | 'body'> {
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/**
 * The 429 each vendor sends when its token endpoint rate-limits a client, announcing a wait of
 * `waitSeconds` from `now` (ms) the way that vendor does — and only that way:
 * - Auth0: `x-ratelimit-limit`, `x-ratelimit-remaining`, `x-ratelimit-reset` (epoch seconds), no
 *   `Retry-After` (Auth0 "Rate Limit Policy").
 * - Okta: `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining`, `X-Rate-Limit-Reset` (epoch seconds, UTC),
 *   no `Retry-After`, body `E0000047` (Okta "Rate limit best practices", "Error codes").
 * - Entra ID: `Retry-After` in seconds for client credentials (MSAL.NET "Client and server
 *   throttling"), no rate-limit headers, body "Too Many Requests" (as MSAL's maintainers quote it).
 * - Keycloak: no built-in rate limiting (keycloak/keycloak#48389), so this is what a proxy in front
 *   of it sends at the least: a bare 429 that announces no wait.
 *
 * @example
 * ```ts
 * rateLimitResponse('auth0', 30, Date.parse('2026-01-01T00:00:00Z')).headers['x-ratelimit-reset']; // '1767225630'
 * ```
 */
export function rateLimitResponse(vendor: Vendor, waitSeconds: number, now: number): RateLimitResponse {
  // Epoch seconds, rounded down like a window boundary: the wait a client computes is at most
  // waitSeconds, and 0 means "already reset".
  const reset = String(Math.floor(now / 1000) + waitSeconds);
  switch (vendor) {
    case 'auth0': {
      const { headers, body } = json({
        error: 'too_many_requests',
        error_description: 'Global limit has been reached',
      });
      return {
        status: 429,
        headers: {
          ...headers,
          'x-ratelimit-limit': '30',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': reset,
        },
        body,
      };
    }
    case 'okta': {
      const { headers, body } = json({
        errorCode: 'E0000047',
        errorSummary: 'API call exceeded rate limit due to too many requests.',
        errorLink: 'E0000047',
        errorId: 'oaeRateLimit',
        errorCauses: [],
      });
      return {
        status: 429,
        headers: {
          ...headers,
          'X-Rate-Limit-Limit': '600',
          'X-Rate-Limit-Remaining': '0',
          'X-Rate-Limit-Reset': reset,
        },
        body,
      };
    }
    case 'entraid':
      return {
        status: 429,
        headers: { 'content-type': 'text/plain', 'Retry-After': String(waitSeconds) },
        body: 'Too Many Requests',
      };
    case 'keycloak':
      return { status: 429, headers: { 'content-type': 'text/plain' }, body: 'Too Many Requests' };
  }
}
