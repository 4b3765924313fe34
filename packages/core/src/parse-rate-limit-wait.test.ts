import { describe, expect, it } from 'vitest';
import { parseRateLimitWait } from './parse-rate-limit-wait.ts';

const now = Date.parse('2026-01-01T00:00:00Z');
const nowSeconds = now / 1000;

function wait(status: number, headers: Record<string, string>, at = now) {
  return parseRateLimitWait({ status, headers: new Headers(headers) }, at);
}

describe('parseRateLimitWait', () => {
  it('reads Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3)', () => {
    expect(wait(429, { 'retry-after': '7' })).toBe(7000);
    expect(wait(503, { 'retry-after': ' 0 ' })).toBe(0);
    expect(wait(503, { 'retry-after': new Date(now + 2500).toUTCString() })).toBe(2000);
    expect(wait(503, { 'retry-after': new Date(now - 60_000).toUTCString() })).toBe(0);
  });

  it('ignores a Retry-After it cannot read', () => {
    for (const value of ['', '-1', '1.5', 'soon', `Thu, ${'x'.repeat(80)}`, '1234567890']) {
      expect(wait(503, { 'retry-after': value }), value).toBeUndefined();
    }
  });

  // Auth0, "Rate Limit Policy" (auth0.com/docs/troubleshoot/customer-support/operational-policies/
  // rate-limit-policy): x-ratelimit-limit, x-ratelimit-remaining and x-ratelimit-reset, "UNIX
  // timestamp, in seconds, of the expected time when additional requests will be added to the bucket".
  it("waits until Auth0's x-ratelimit-reset (epoch seconds) on a 429", () => {
    const headers = {
      'x-ratelimit-limit': '30',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(nowSeconds + 3),
    };
    expect(wait(429, headers)).toBe(3000);
    expect(wait(429, headers, now + 2400)).toBe(600);
  });

  // Okta, "Rate limit best practices" (developer.okta.com/docs/reference/rl-best-practices/):
  // X-Rate-Limit-Limit, X-Rate-Limit-Remaining and X-Rate-Limit-Reset, "the time at which the rate
  // limit resets, specified in UTC epoch time (in seconds)".
  it("waits until Okta's X-Rate-Limit-Reset (epoch seconds, UTC) on a 429", () => {
    expect(
      wait(429, {
        'X-Rate-Limit-Limit': '600',
        'X-Rate-Limit-Remaining': '0',
        'X-Rate-Limit-Reset': String(nowSeconds + 45),
      }),
    ).toBe(45_000);
  });

  it('lets Retry-After win over a reset time', () => {
    expect(wait(429, { 'retry-after': '1', 'x-rate-limit-reset': String(nowSeconds + 60) })).toBe(1000);
    expect(wait(429, { 'retry-after': 'later', 'x-rate-limit-reset': String(nowSeconds + 60) })).toBe(60_000);
  });

  it('leaves a reset in the past, absurd or unreadable to the caller’s backoff', () => {
    for (const reset of [
      String(nowSeconds),
      String(nowSeconds - 30),
      String(now + 5000), // milliseconds, not seconds
      String(nowSeconds + 2 * 24 * 60 * 60), // days ahead
      '12.5',
      '-5',
      'Thu, 01 Jan 2026 00:00:05 GMT',
      '',
    ]) {
      expect(wait(429, { 'x-ratelimit-reset': reset }), reset).toBeUndefined();
    }
  });

  it('reads a reset only on a 429: Auth0 and Okta send the headers on every answer', () => {
    const reset = { 'x-ratelimit-reset': String(nowSeconds + 30), 'x-ratelimit-remaining': '12' };
    expect(wait(503, reset)).toBeUndefined();
    expect(wait(200, reset)).toBeUndefined();
    expect(wait(429, {})).toBeUndefined();
  });
});
