import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createManualClock } from '@dual-auth/core';
import { testTls, trustTestCa } from '@dual-auth/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier } from '../src/create-verifier.ts';
import type { Decision } from '../src/decision.ts';
import type { VerifierOptions } from '../src/verifier-options.ts';
import {
  AGENT,
  delegation,
  freshRsaKey,
  human,
  mint,
  NOW,
  NOW_MS,
  type TestKey,
  testKey,
} from './fixtures.ts';

const ISSUER = 'https://127.0.0.1:8443/realms/acme';
const AUDIENCE = 'finance-api';
const first = testKey('ES256', 'key-1');
const second = testKey('ES256', 'key-2');
const rotated = freshRsaKey('key-3');

/** What the JWKS server answers; changed per test. */
const server = {
  keys: [first.publicJwk] as object[],
  status: 200,
  body: undefined as string | undefined,
  delayMs: 0,
  requests: 0,
  /** Responses finished, as opposed to requests received. */
  answered: 0,
};

let httpsServer: https.Server;
let jwksUri = '';
let untrust: () => void = () => {};

beforeAll(async () => {
  const { cert, key } = testTls();
  httpsServer = https.createServer({ cert, key }, (_request, response) => {
    server.requests++;
    const { status, body, keys } = server;
    setTimeout(() => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(body ?? JSON.stringify({ keys }));
      server.answered++;
    }, server.delayMs);
  });
  await new Promise<void>((resolve) => httpsServer.listen(0, '127.0.0.1', resolve));
  jwksUri = `https://127.0.0.1:${(httpsServer.address() as AddressInfo).port}/protocol/openid-connect/certs`;
  untrust = trustTestCa();
});

afterAll(async () => {
  untrust();
  httpsServer.closeAllConnections();
  await new Promise<void>((resolve) => httpsServer.close(() => resolve()));
});

beforeEach(() => {
  Object.assign(server, {
    keys: [first.publicJwk],
    status: 200,
    body: undefined,
    delayMs: 0,
    requests: 0,
    answered: 0,
  });
});

const token = (key: TestKey, extra: Record<string, unknown> = {}) =>
  mint(key, {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'service-account-uuid',
    azp: AGENT,
    iat: NOW - 5,
    exp: NOW + 3_000,
    act: human,
    delegation,
    agbac_ver: '1.0',
    ...extra,
  });

function setup(overrides: Partial<VerifierOptions> = {}) {
  const clock = createManualClock(NOW_MS);
  const verifier = createVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUri,
    vendor: 'keycloak',
    layout: 'agbac',
    // These tests are about keys; Keycloak's act mapper authorized the human at issuance.
    humanAuthorizedByIdp: true,
    clock: clock.now,
    cache: false,
    jwks: { cacheMaxAgeSeconds: 600, cooldownSeconds: 30, timeoutSeconds: 2 },
    ...overrides,
  });
  const verify = (key: TestKey, extra?: Record<string, unknown>) =>
    verifier.verify({ authorization: `Bearer ${token(key, extra)}` });
  return { clock, verify };
}

const denial = (decision: Decision) => (decision.allow ? 'allow' : decision.code);

/** Waits (bounded) until `condition` holds, for work the verifier does in the background. */
async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(condition()).toBe(true);
}

describe('JWKS over HTTPS (real local server, test CA)', () => {
  it('fetches once, then verifies from the cache', async () => {
    const { verify } = setup();
    for (let index = 0; index < 5; index++)
      expect(denial(await verify(first, { jti: String(index) }))).toBe('allow');
    expect(server.requests).toBe(1);
  });

  it('refreshes once on an unknown kid, then refuses further unknown kids within the cooldown', async () => {
    const { clock, verify } = setup();
    expect(denial(await verify(first))).toBe('allow');
    const unknown = testKey('ES256', 'unknown-kid');
    const refused = await verify(unknown);
    expect(denial(refused)).toBe('token_invalid');
    expect(refused.allow ? '' : refused.reason).toBe('unknown key id (kid)');
    expect(server.requests).toBe(2);
    for (let index = 0; index < 5; index++) expect(denial(await verify(unknown))).toBe('token_invalid');
    expect(server.requests).toBe(2);
    clock.advance(31_000);
    expect(denial(await verify(unknown))).toBe('token_invalid');
    expect(server.requests).toBe(3);
  });

  it('picks up a rotated key through the unknown-kid refresh', async () => {
    const { verify } = setup();
    expect(denial(await verify(first))).toBe('allow');
    server.keys = [first.publicJwk, rotated.publicJwk];
    expect(denial(await verify(rotated))).toBe('allow');
    expect(server.requests).toBe(2);
  });

  it('collapses concurrent refreshes into one fetch (single-flight)', async () => {
    const { verify } = setup();
    server.delayMs = 150;
    server.keys = [first.publicJwk, second.publicJwk];
    const decisions = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        verify(index % 2 === 0 ? first : second, { jti: String(index) }),
      ),
    );
    expect(decisions.map(denial)).toEqual(Array.from({ length: 20 }, () => 'allow'));
    expect(server.requests).toBe(1);
  });

  it('keeps verifying with cached keys when the endpoint fails (stale-if-error)', async () => {
    const { clock, verify } = setup();
    expect(denial(await verify(first))).toBe('allow');
    server.status = 500;
    clock.advance(601_000);
    expect(denial(await verify(first))).toBe('allow');
    await until(() => server.answered === 2);
    // Within the cooldown after the failed refresh: cached keys, no new request.
    expect(denial(await verify(first))).toBe('allow');
    expect(server.requests).toBe(2);
  });

  it('answers idp_unavailable (503) only when no usable key is cached', async () => {
    server.status = 503;
    const { clock, verify } = setup();
    const decision = await verify(first);
    expect(denial(decision)).toBe('idp_unavailable');
    expect(decision.allow ? 0 : decision.status).toBe(503);
    clock.advance(31_000);
    server.status = 200;
    expect(denial(await verify(first))).toBe('allow');
  });

  it('refuses an unknown kid as invalid (401, not 503) while the endpoint is down and usable keys are cached', async () => {
    const { clock, verify } = setup();
    expect(denial(await verify(first))).toBe('allow');
    server.status = 500;
    const refused = await verify(second);
    expect(denial(refused)).toBe('token_invalid');
    expect(refused.allow ? '' : [refused.reason, refused.status]).toEqual(['unknown key id (kid)', 401]);
    expect(server.requests).toBe(2);
    // Also after the failed refresh, within its cooldown, and once the key set has expired.
    expect(denial(await verify(second))).toBe('token_invalid');
    clock.advance(700_000);
    expect(denial(await verify(second))).toBe('token_invalid');
    expect(denial(await verify(first))).toBe('allow');
  });

  it('serves expired keys at once and refreshes them in the background, once', async () => {
    const { clock, verify } = setup();
    expect(denial(await verify(first))).toBe('allow');
    server.delayMs = 300;
    server.keys = [first.publicJwk, rotated.publicJwk];
    clock.advance(601_000);
    const decisions = await Promise.all(
      Array.from({ length: 10 }, (_, index) => verify(first, { jti: String(index) })),
    );
    expect(decisions.map(denial)).toEqual(Array.from({ length: 10 }, () => 'allow'));
    // Answered from the cache while the refresh was still on its way.
    expect(server.answered).toBe(1);
    await until(() => server.answered === 2);
    expect(server.requests).toBe(2);
    // The refreshed set is in use: the rotated key verifies without another fetch.
    expect(denial(await verify(rotated))).toBe('allow');
    expect(server.requests).toBe(2);
  });

  it('gives up stale keys past maxStaleSeconds', async () => {
    const { clock, verify } = setup({
      jwks: { cacheMaxAgeSeconds: 60, maxStaleSeconds: 120, cooldownSeconds: 1 },
    });
    expect(denial(await verify(first))).toBe('allow');
    server.status = 500;
    clock.advance(90_000);
    expect(denial(await verify(first))).toBe('allow');
    clock.advance(60_000);
    expect(denial(await verify(first))).toBe('idp_unavailable');
  });

  it.each([
    ['not JSON', '<html>'],
    ['no keys array', '{"keys":{}}'],
    [
      'only unusable keys',
      JSON.stringify({
        keys: [
          { kty: 'oct', k: 'c2VjcmV0' },
          { kty: 'RSA', n: 'AQAB', e: 'AQAB' },
        ],
      }),
    ],
    ['duplicate members', '{"keys":[],"keys":[]}'],
    ['too large', JSON.stringify({ keys: [], padding: 'x'.repeat(300_000) })],
  ])('treats a JWKS that is %s as unavailable (503)', async (_name, body) => {
    server.body = body;
    const { verify } = setup();
    expect(denial(await verify(first))).toBe('idp_unavailable');
  });

  it('skips private, symmetric and encryption keys inside a JWKS', async () => {
    server.keys = [
      { ...first.privateKey.export({ format: 'jwk' }), kid: 'key-1' },
      { kty: 'oct', k: 'c2VjcmV0', kid: 'key-1' },
      { ...second.publicJwk, use: 'enc' },
    ];
    const { verify } = setup();
    expect(denial(await verify(first))).toBe('idp_unavailable');
    expect(denial(await verify(second))).toBe('idp_unavailable');
  });

  it('never lets a cached verification outlive exp', async () => {
    const clock = createManualClock(NOW_MS);
    const short = token(first, { exp: NOW + 2 });
    const verifier = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri,
      vendor: 'keycloak',
      layout: 'agbac',
      humanAuthorizedByIdp: true,
      clock: clock.now,
      clockSkewSeconds: 0,
    });
    expect(denial(await verifier.verify({ authorization: `Bearer ${short}` }))).toBe('allow');
    clock.advance(2_000);
    expect(denial(await verifier.verify({ authorization: `Bearer ${short}` }))).toBe('token_invalid');
    expect(server.requests).toBe(1);
  });
});
