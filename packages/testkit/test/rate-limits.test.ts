// The embedded IdP's 429s, read with plain fetch: each vendor announces the wait only the way the
// vendor does. Sources:
// - Auth0 "Rate Limit Policy" (auth0.com/docs/troubleshoot/customer-support/operational-policies/
//   rate-limit-policy): x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset = "UNIX
//   timestamp, in seconds"; no Retry-After is documented.
// - Okta "Rate limit best practices" (developer.okta.com/docs/reference/rl-best-practices/):
//   X-Rate-Limit-Limit, X-Rate-Limit-Remaining, X-Rate-Limit-Reset = "UTC epoch time (in seconds)";
//   no Retry-After is documented; E0000047 is Okta's rate-limit error code.
// - Entra ID, MSAL.NET "Client and server throttling" (learn.microsoft.com/entra/msal/dotnet/
//   advanced/client-and-server-throttling): for client_credentials, "429 Too Many Requests, with a
//   Retry-After: 60 header"; the body MSAL's maintainers quote is "Too Many Requests"
//   (AzureAD/microsoft-authentication-library-for-dotnet#2855).
// - Keycloak: "Keycloak does not implement its own rate limit feature. Instead, it owes to other
//   entities like WAF" (keycloak/keycloak#48389): a 429 can only come from a proxy in front.
import type { Vendor } from '@dual-auth/core';
import { parseRateLimitWait } from '@dual-auth/core/oauth';
import { afterEach, describe, expect, it } from 'vitest';
import { useEmbeddedIdp } from '../src/conformance/index.ts';

const vendors: readonly Vendor[] = ['keycloak', 'auth0', 'okta', 'entraid'];

const idp = useEmbeddedIdp({ vendors: [...vendors] });

afterEach(() => {
  for (const vendor of vendors) idp.profile(vendor).faults.reset();
});

async function rateLimited(vendor: Vendor, waitSeconds: number) {
  const profile = idp.profile(vendor);
  profile.faults.rateLimitNext(1, waitSeconds);
  const before = Date.now();
  const response = await fetch(profile.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
  });
  const rateLimitHeaders = Object.fromEntries(
    [...response.headers].filter(([name]) => /^(retry-after|x-rate-?limit-)/.test(name)),
  );
  const after = Date.now();
  // A reset is an epoch second, so a request that crosses a second boundary sees one of two.
  const resets = [Math.floor(before / 1000) + waitSeconds, Math.floor(after / 1000) + waitSeconds];
  return { response, rateLimitHeaders, resets, after, body: await response.text() };
}

describe('embedded IdP: rate limits as each vendor sends them', () => {
  it.each([
    ['auth0', 'x-ratelimit-', { error: 'too_many_requests' }],
    ['okta', 'x-rate-limit-', { errorCode: 'E0000047' }],
  ] as const)(
    '%s: %s{limit,remaining,reset}, the reset in epoch seconds, no Retry-After',
    async (vendor, prefix, body) => {
      const answer = await rateLimited(vendor, 30);
      expect(answer.response.status).toBe(429);
      expect(Object.keys(answer.rateLimitHeaders).sort()).toEqual(
        ['limit', 'remaining', 'reset'].map((name) => `${prefix}${name}`),
      );
      expect(answer.rateLimitHeaders[`${prefix}remaining`]).toBe('0');
      expect(answer.resets).toContain(Number(answer.rateLimitHeaders[`${prefix}reset`]));
      expect(JSON.parse(answer.body)).toMatchObject(body);
    },
  );

  it('Entra ID: Retry-After in seconds and nothing else', async () => {
    const { response, rateLimitHeaders, body } = await rateLimited('entraid', 60);
    expect(response.status).toBe(429);
    expect(rateLimitHeaders).toEqual({ 'retry-after': '60' });
    expect(body).toBe('Too Many Requests');
  });

  it('Keycloak: no rate limiting of its own, so a bare 429 that announces no wait', async () => {
    const { response, rateLimitHeaders } = await rateLimited('keycloak', 30);
    expect(response.status).toBe(429);
    expect(rateLimitHeaders).toEqual({});
  });

  it.each([
    ['keycloak', undefined],
    ['auth0', 30],
    ['okta', 30],
    ['entraid', 30],
  ] as const)("core reads %s's 429 as a wait of %s s (29–30 for a reset)", async (vendor, seconds) => {
    const { response, after } = await rateLimited(vendor, 30);
    const waitMs = parseRateLimitWait(response, after);
    if (seconds === undefined) return expect(waitMs).toBeUndefined();
    expect(waitMs).toBeGreaterThan(28_000);
    expect(waitMs).toBeLessThanOrEqual(seconds * 1000);
  });
});
