import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type LoopbackServer, startLoopbackServer } from '../../test/loopback-server.ts';
import type { KeySelection } from './key-source.ts';
import { createRemoteKeySource } from './remote-key-source.ts';

const publicJwk = (kid: string) => ({
  ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }),
  kid,
});
const first = publicJwk('key-1');
const second = publicJwk('key-2');

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function sourceFor(url: string, clock: { now: number }, refreshPastMaxAge: 'background' | 'wait') {
  return createRemoteKeySource({
    url,
    setting: 'jwksUri',
    allowed: new Set(['ES256']),
    clock: () => clock.now,
    fetch,
    allowInsecureLoopback: true,
    jwks: { cacheMaxAgeSeconds: 600, cooldownSeconds: 30, maxStaleSeconds: 3_600 },
    refreshPastMaxAge,
  });
}

const kids = (selection: KeySelection) =>
  Array.isArray(selection) ? selection.map((key) => key.kid) : (selection as { reason: string }).reason;

describe('createRemoteKeySource', () => {
  it('past the maximum age, serves the cached keys while it refreshes in the background, or waits when told to', async () => {
    for (const mode of ['background', 'wait'] as const) {
      let body = JSON.stringify({ keys: [first] });
      server = await startLoopbackServer((_request, response) => response.end(body));
      const clock = { now: 0 };
      const source = sourceFor(server.url, clock, mode);
      expect(kids(await source.select('key-1', 'ES256'))).toEqual(['key-1']);
      // The issuer withdraws key-1 and publishes key-2.
      body = JSON.stringify({ keys: [second] });
      clock.now = 601_000;
      const selection = source.select('key-1', 'ES256');
      if (mode === 'background') {
        expect(kids(selection as KeySelection)).toEqual(['key-1']);
        await new Promise((resolve) => setTimeout(resolve, 200));
      } else {
        expect(kids(await selection)).toBe('unknown_kid');
      }
      expect(server.requests).toHaveLength(2);
      expect(kids(await source.select('key-2', 'ES256'))).toEqual(['key-2']);
      await server.close();
      server = undefined;
    }
  });

  it('answers jwks_unavailable only without a usable cached key, fetching at most once per cooldown', async () => {
    server = await startLoopbackServer((_request, response, index) => {
      response.statusCode = index === 0 ? 200 : 503;
      response.end(index === 0 ? JSON.stringify({ keys: [first] }) : '');
    });
    const clock = { now: 0 };
    const source = sourceFor(server.url, clock, 'background');
    expect(kids(await source.select('key-1', 'ES256'))).toEqual(['key-1']);
    // Stale-if-error: the endpoint fails, the cached key keeps verifying up to the stale limit.
    clock.now = 601_000;
    expect(kids(await source.select('key-1', 'ES256'))).toEqual(['key-1']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(kids(await source.select('key-1', 'ES256'))).toEqual(['key-1']);
    }
    expect(server.requests).toHaveLength(2);
    // An unknown kid looks once more (its own cooldown), then not again within it.
    expect(kids(await source.select('key-9', 'ES256'))).toBe('unknown_kid');
    expect(kids(await source.select('key-9', 'ES256'))).toBe('unknown_kid');
    expect(server.requests).toHaveLength(3);
    clock.now = 3_601_000;
    expect(kids(await source.select('key-1', 'ES256'))).toBe('jwks_unavailable');
    expect(kids(await source.select('key-1', 'ES256'))).toBe('jwks_unavailable');
    expect(server.requests).toHaveLength(4);
  });

  it('refuses a non-loopback http URL and negative durations at construction', () => {
    const options = (url: string, cooldownSeconds = 30) => ({
      url,
      setting: 'jwksUri',
      allowed: new Set(['ES256'] as const),
      clock: () => 0,
      fetch,
      allowInsecureLoopback: true,
      jwks: { cooldownSeconds },
    });
    expect(() => createRemoteKeySource(options('http://idp.example.com/jwks'))).toThrow(/^jwksUri /);
    expect(() => createRemoteKeySource(options('https://idp.example.com/jwks', -1))).toThrow(
      'jwks.cooldownSeconds must be a number ≥ 0',
    );
  });
});

describe('createRemoteKeySource: one unit per options object', () => {
  const options = (jwks: object) => ({
    url: 'https://idp.example.com/jwks',
    setting: 'jwksUri',
    allowed: new Set(['ES256'] as const),
    clock: () => 0,
    fetch,
    allowInsecureLoopback: false,
    jwks,
  });

  it('times a fetch out after timeoutSeconds, and refuses the millisecond name by name', async () => {
    server = await startLoopbackServer(() => {}); // never answers
    const source = createRemoteKeySource({
      ...options({ timeoutSeconds: 0.2 }),
      url: server.url,
      allowInsecureLoopback: true,
    });
    const started = performance.now();
    expect(kids(await source.select('key-1', 'ES256'))).toBe('jwks_unavailable');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(() => createRemoteKeySource(options({ timeoutMs: 500 }))).toThrow(
      new TypeError('jwks.timeoutMs was renamed jwks.timeoutSeconds (seconds)'),
    );
  });
});
