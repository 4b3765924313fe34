import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActVerificationError, ConfigurationError, createManualClock, ReplayError } from '@dual-auth/core';
import { trustTestCa } from '@dual-auth/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  ISSUER,
  NOW,
  nowSeconds,
  signActJwt,
  signRaw,
  testKeys,
  validClaims,
} from '../test/act-jwt-fixtures.ts';
import { createCountingAdapter } from '../test/counting-adapter.ts';
import { startServer, type TestServer } from '../test/servers.ts';
import { InSessionTokenRequest } from './in-session-token-request.ts';
import {
  OutOfSessionTokenRequest,
  type OutOfSessionTokenRequestOptions,
} from './out-of-session-token-request.ts';

const keys = testKeys();
const rsa = keys.RS256;

function create(options: Partial<OutOfSessionTokenRequestOptions> = {}) {
  const counting = createCountingAdapter();
  const tokenRequest = new OutOfSessionTokenRequest({
    adapter: counting.adapter,
    issuer: ISSUER,
    audience: AUDIENCE,
    clock: () => NOW,
    ...(options.jwksUri === undefined && options.keyPath === undefined && options.keys === undefined
      ? { keys: rsa.publicPem }
      : {}),
    ...options,
  } as OutOfSessionTokenRequestOptions);
  return { tokenRequest, ...counting };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'accepted',
    (error: unknown) => error,
  );
}

describe('OutOfSessionTokenRequest', () => {
  it.each([
    ['a PEM public key', rsa.publicPem],
    ['a public JWK', rsa.publicJwk],
    ['a public KeyObject', rsa.publicKey],
  ])('verifies with %s and requests a token for the verified human', async (_label, appPublicKey) => {
    const { tokenRequest, calls } = create({ keys: appPublicKey });
    const tokenResponse = await tokenRequest.requestTokenFromJwt(await signActJwt(rsa), {
      agentId: 'finance-agent',
      scope: ['finance.read'],
    });
    expect(tokenResponse.accessToken).toBe('token-1-finance-agent-user-1234');
    expect(calls[0]?.act).toEqual({ sub: 'user-1234', email: 'alice@example.com', name: 'Alice Smith' });
    expect(calls[0]?.delegation).toEqual({
      method: 'explicit',
      grantedAt: nowSeconds - 5,
      intentSummary: 'Summarise Q4',
    });
    expect(calls[0]?.scope).toEqual(['finance.read']);
  });

  it('accepts the Python reference act JWT only with acceptPythonReferenceActJwt and issuer "application"', async () => {
    // dual_auth 1.0.1 session/hybrid_sender.py lines 311-327: iss and sub hard-coded to
    // "application", jti = secrets.token_urlsafe(32), signed by PyJWT with {"alg":"RS256","typ":"JWT"}.
    const pythonClaims = {
      iss: 'application',
      sub: 'application',
      aud: AUDIENCE,
      exp: nowSeconds + 60,
      iat: nowSeconds,
      jti: 'q0N3Hq0f2V1m1tS2m3rX7cDq9eP4kL8wZ5yB6aU1oIe',
      act: { sub: 'user_12345', email: 'alice@corp.example.com', name: 'Alice Smith' },
    };
    const jwt = signRaw(rsa, { alg: 'RS256', typ: 'JWT' }, pythonClaims);
    const reasonWith = async (options: Partial<OutOfSessionTokenRequestOptions>) =>
      ((await failureOf(create(options).tokenRequest.receiveAndVerifyActJwt(jwt))) as { reason?: string })
        .reason;
    expect(await reasonWith({ issuer: 'application' })).toBe('type_invalid');
    expect(await reasonWith({ issuer: 'application', acceptUntypedActJwt: true })).toBe('act_invalid');
    expect(await reasonWith({ acceptPythonReferenceActJwt: true })).toBe('issuer_invalid');
    const { tokenRequest, calls } = create({
      issuer: 'application',
      acceptPythonReferenceActJwt: true,
    });
    await tokenRequest.requestTokenFromJwt(jwt, { agentId: 'finance-agent' });
    expect(calls[0]?.act).toEqual({
      sub: 'user_12345',
      email: 'alice@corp.example.com',
      name: 'Alice Smith',
    });
    expect(calls[0]?.delegation).toBeUndefined();
    const replay = await failureOf(tokenRequest.receiveAndVerifyActJwt(jwt));
    expect(replay).toBeInstanceOf(ReplayError);
  });

  it('refuses a replayed act JWT with ReplayError replayed, before any token request', async () => {
    const { tokenRequest, calls } = create();
    const jwt = await signActJwt(rsa);
    await tokenRequest.requestTokenFromJwt(jwt, { agentId: 'finance-agent' });
    const error = await failureOf(tokenRequest.requestTokenFromJwt(jwt, { agentId: 'finance-agent' }));
    expect(error).toBeInstanceOf(ReplayError);
    expect((error as ReplayError).reason).toBe('replayed');
    expect(calls).toHaveLength(1);
  });

  it('checks time with the injected clock and skew', async () => {
    const clock = createManualClock(NOW);
    const { tokenRequest } = create({ clock: clock.now, clockSkewSeconds: 0 });
    const jwt = await signActJwt(rsa);
    clock.advance(61_000);
    const error = await failureOf(tokenRequest.receiveAndVerifyActJwt(jwt));
    expect((error as ActVerificationError).reason).toBe('expired');
  });

  it('does not log an email used as act.sub', async () => {
    const lines: unknown[] = [];
    const capture = (message: string, fields?: Readonly<Record<string, unknown>>) =>
      lines.push([message, fields]);
    const logger = { debug: capture, info: capture, warn: capture, error: capture };
    const { tokenRequest } = create({ logger });
    const act = { sub: 'alice.smith@example.com' };
    await tokenRequest.requestTokenFromJwt(await signActJwt(rsa, validClaims({ act, sub: act.sub })), {
      agentId: 'finance-agent',
    });
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(lines)).not.toContain('alice.smith');
    await tokenRequest.receiveAndVerifyActJwt(await signActJwt(rsa));
    expect(lines.at(-1)).toEqual(['act JWT accepted', { human: 'user-1234', issuer: ISSUER }]);
  });

  describe('key file', () => {
    let directory: string;
    beforeAll(() => {
      directory = mkdtempSync(join(tmpdir(), 'dual-auth-client-'));
    });
    afterAll(() => rmSync(directory, { recursive: true, force: true }));

    it('reads the public key from keyPath', async () => {
      const path = join(directory, 'app-public.pem');
      writeFileSync(path, keys.ES256.publicPem);
      const { tokenRequest } = create({ keyPath: path });
      await expect(tokenRequest.receiveAndVerifyActJwt(await signActJwt(keys.ES256))).resolves.toMatchObject({
        act: { sub: 'user-1234' },
      });
    });

    it('reports a missing, private or malformed key file as ConfigurationError naming the setting', async () => {
      const privatePath = join(directory, 'private.pem');
      writeFileSync(privatePath, rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
      chmodSync(privatePath, 0o600);
      const garbagePath = join(directory, 'garbage.pem');
      writeFileSync(garbagePath, '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n');
      for (const path of [join(directory, 'missing.pem'), privatePath, garbagePath]) {
        const error = await failureOf(create({ keyPath: path }).tokenRequest.receiveAndVerifyActJwt('a.b.c'));
        expect(error).toBeInstanceOf(ConfigurationError);
        expect((error as ConfigurationError).setting).toBe('keyPath');
        expect((error as Error).message).not.toContain('PRIVATE');
      }
    });
  });

  describe('JWKS', () => {
    let untrust: () => void;
    let server: TestServer | undefined;
    beforeAll(() => {
      untrust = trustTestCa();
    });
    afterAll(() => untrust());
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    const jwks = (...entries: Array<[Record<string, unknown>, string]>) =>
      JSON.stringify({ keys: entries.map(([jwk, kid]) => ({ ...jwk, kid, use: 'sig' })) });

    it('picks the key by kid, refetches once for an unknown kid, then respects the cooldown', async () => {
      let body = jwks([rsa.publicJwk, 'key-1']);
      server = await startServer(
        (_request, response) => {
          response.setHeader('content-type', 'application/json');
          response.end(body);
        },
        { tls: true },
      );
      const clock = createManualClock(NOW);
      const { tokenRequest } = create({
        jwksUri: `${server.url}/.well-known/jwks.json`,
        clock: clock.now,
      });
      await tokenRequest.receiveAndVerifyActJwt(await signActJwt(rsa, validClaims(), { kid: 'key-1' }));
      expect(server.requests).toHaveLength(1);

      // Rotation: the application publishes key-2; the first JWT with it prompts one refetch.
      body = jwks([rsa.publicJwk, 'key-1'], [keys.ES256.publicJwk, 'key-2']);
      clock.advance(31_000);
      await tokenRequest.receiveAndVerifyActJwt(
        await signActJwt(keys.ES256, validClaims(), { kid: 'key-2' }),
      );
      expect(server.requests).toHaveLength(2);

      // An unknown kid right after a fetch is refused without hammering the endpoint.
      const unknown = await failureOf(
        tokenRequest.receiveAndVerifyActJwt(await signActJwt(rsa, validClaims(), { kid: 'key-9' })),
      );
      expect((unknown as ActVerificationError).reason).toBe('key_not_found');
      expect(server.requests).toHaveLength(2);
      clock.advance(31_000);
      const again = await failureOf(
        tokenRequest.receiveAndVerifyActJwt(await signActJwt(rsa, validClaims(), { kid: 'key-9' })),
      );
      expect((again as ActVerificationError).reason).toBe('key_not_found');
      expect(server.requests).toHaveLength(3);
    });

    it('keeps verifying with cached keys when the JWKS endpoint fails', async () => {
      server = await startServer(
        (_request, response, index) => {
          if (index > 0) {
            response.statusCode = 503;
            response.end();
            return;
          }
          response.end(jwks([rsa.publicJwk, 'key-1']));
        },
        { tls: true },
      );
      const clock = createManualClock(NOW);
      const { tokenRequest } = create({ jwksUri: `${server.url}/jwks`, clock: clock.now });
      await tokenRequest.receiveAndVerifyActJwt(await signActJwt(rsa, validClaims(), { kid: 'key-1' }));
      clock.advance(11 * 60_000);
      const later = (nowSeconds + 660) as number;
      const claims = validClaims({ iat: later, exp: later + 60 });
      await expect(
        tokenRequest.receiveAndVerifyActJwt(await signActJwt(rsa, claims, { kid: 'key-1' })),
      ).resolves.toBeDefined();
      expect(server.requests.length).toBeGreaterThanOrEqual(2);
    });

    it('during a JWKS outage retries at most once per cooldown, serving stale keys up to the stale limit', async () => {
      server = await startServer(
        (_request, response, index) => {
          if (index > 0) {
            response.statusCode = 503;
            response.end();
            return;
          }
          response.end(jwks([rsa.publicJwk, 'key-1']));
        },
        { tls: true },
      );
      const clock = createManualClock(NOW);
      const { tokenRequest } = create({ jwksUri: `${server.url}/jwks`, clock: clock.now });
      const verifyAt = async () => {
        const at = Math.floor(clock.now() / 1000);
        return failureOf(
          tokenRequest.receiveAndVerifyActJwt(
            await signActJwt(rsa, validClaims({ iat: at, exp: at + 60 }), { kid: 'key-1' }),
          ),
        );
      };
      expect(await verifyAt()).not.toBeInstanceOf(Error);
      expect(server.requests).toHaveLength(1);
      // Past the 10-minute max-age the endpoint fails: one attempt, then stale keys until the cooldown ends.
      clock.advance(11 * 60_000);
      for (let attempt = 0; attempt < 5; attempt++) expect(await verifyAt()).not.toBeInstanceOf(Error);
      expect(server.requests).toHaveLength(2);
      clock.advance(29_000);
      expect(await verifyAt()).not.toBeInstanceOf(Error);
      expect(server.requests).toHaveLength(2);
      clock.advance(2_000);
      expect(await verifyAt()).not.toBeInstanceOf(Error);
      expect(await verifyAt()).not.toBeInstanceOf(Error);
      expect(server.requests).toHaveLength(3);
      // Keys fetched more than 24 hours ago are no longer trusted when the endpoint still fails.
      clock.advance(24 * 3_600_000);
      const refused = await verifyAt();
      expect(refused).toBeInstanceOf(ActVerificationError);
      expect((refused as ActVerificationError).reason).toBe('key_not_found');
      expect(server.requests).toHaveLength(4);
    });

    it('does not refetch a failing JWKS on every act JWT before any key was fetched', async () => {
      server = await startServer(
        (_request, response) => {
          response.statusCode = 503;
          response.end();
        },
        { tls: true },
      );
      const clock = createManualClock(NOW);
      const { tokenRequest } = create({ jwksUri: `${server.url}/jwks`, clock: clock.now });
      for (let attempt = 0; attempt < 3; attempt++) {
        const error = await failureOf(
          tokenRequest.receiveAndVerifyActJwt(await signActJwt(rsa, validClaims(), { kid: 'key-1' })),
        );
        expect((error as ActVerificationError).reason).toBe('key_not_found');
      }
      expect(server.requests).toHaveLength(1);
    });

    it('refuses with key_not_found when the JWKS is unavailable, oversized or holds only unusable keys', async () => {
      const bodies = [
        { status: 500, body: '' },
        { status: 200, body: JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'key-1' }] }) },
        {
          status: 200,
          body: JSON.stringify({ keys: [{ ...rsa.privateKey.export({ format: 'jwk' }), kid: 'key-1' }] }),
        },
        {
          status: 200,
          body: JSON.stringify({ keys: [{ ...rsa.publicJwk, kid: 'key-1' }], padding: 'x'.repeat(70_000) }),
        },
        { status: 200, body: 'not json' },
      ];
      for (const { status, body } of bodies) {
        server = await startServer(
          (_request, response) => {
            response.statusCode = status;
            response.end(body);
          },
          { tls: true },
        );
        const { tokenRequest } = create({ jwksUri: `${server.url}/jwks` });
        const error = await failureOf(
          tokenRequest.receiveAndVerifyActJwt(await signActJwt(rsa, validClaims(), { kid: 'key-1' })),
        );
        expect(error).toBeInstanceOf(ActVerificationError);
        expect((error as ActVerificationError).reason).toBe('key_not_found');
        await server.close();
        server = undefined;
      }
    });

    it('refuses http JWKS URLs, except on loopback with the explicit opt-in', async () => {
      expect(() => create({ jwksUri: 'http://app.example.com/jwks' })).toThrow(TypeError);
      expect(() => create({ jwksUri: 'http://127.0.0.1:1/jwks' })).toThrow(TypeError);
      server = await startServer((_request, response) => response.end(jwks([rsa.publicJwk, 'key-1'])));
      const { tokenRequest } = create({ jwksUri: `${server.url}/jwks`, allowInsecureLoopback: true });
      await expect(
        tokenRequest.receiveAndVerifyActJwt(await signActJwt(rsa, validClaims(), { kid: 'key-1' })),
      ).resolves.toBeDefined();
    });

    it("names the opt-in when it refuses a loopback http JWKS URL, and honours the config's value", async () => {
      expect(() => create({ jwksUri: 'http://127.0.0.1:1/jwks' })).toThrow(
        'jwksUri is refused: https is required; for loopback tests set DUAL_AUTH_ALLOW_INSECURE_LOOPBACK=true (or allowInsecureLoopback: true)',
      );
      expect(() =>
        create({
          jwksUri: 'http://127.0.0.1:1/jwks',
          config: { allowInsecureLoopback: true },
          allowInsecureLoopback: false,
        }),
      ).toThrow(TypeError);
      server = await startServer((_request, response) => response.end(jwks([rsa.publicJwk, 'key-1'])));
      const { tokenRequest } = create({
        jwksUri: `${server.url}/jwks`,
        config: { allowInsecureLoopback: true },
      });
      await expect(
        tokenRequest.receiveAndVerifyActJwt(await signActJwt(rsa, validClaims(), { kid: 'key-1' })),
      ).resolves.toBeDefined();
    });
  });

  it('rejects misuse with TypeError at construction', () => {
    const { adapter } = createCountingAdapter();
    const base = { adapter, issuer: ISSUER, audience: AUDIENCE };
    const misuses: Array<Partial<OutOfSessionTokenRequestOptions>> = [
      {},
      { keys: rsa.publicPem, keyPath: '/tmp/x.pem' },
      { keys: rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() },
      { keys: rsa.privateKey },
      { keys: 'not a key' },
      { keys: { kty: 'oct', k: 'c2VjcmV0' } },
      { keys: rsa.publicPem, algorithms: ['HS256'] as never },
      { keys: rsa.publicPem, algorithms: ['none'] as never },
      { keys: rsa.publicPem, algorithms: ['ES256'] },
      { keys: rsa.publicPem, maxLifetimeSeconds: 3600 },
      { keys: rsa.publicPem, clockSkewSeconds: 1000 },
      { keys: rsa.publicPem, issuer: '' },
    ];
    for (const misuse of misuses) {
      expect(
        () => new OutOfSessionTokenRequest({ ...base, ...misuse } as OutOfSessionTokenRequestOptions),
      ).toThrow(TypeError);
    }
    expect(
      () => new OutOfSessionTokenRequest({ ...base, adapter: {} as never, keys: rsa.publicPem }),
    ).toThrow(TypeError);
  });
});

describe('option names shared with the verifier', () => {
  const { adapter } = createCountingAdapter();

  it.each([
    ['appPublicKey', 'keys'],
    ['appPublicKeyPath', 'keyPath'],
    ['appJwksUrl', 'jwksUri'],
    ['expectedIssuer', 'issuer'],
    ['expectedAudience', 'audience'],
    ['allowedAlgorithms', 'algorithms'],
    ['jwksCooldownSeconds', 'jwks.cooldownSeconds'],
  ])('refuses the old name %s with a TypeError naming %s', (old, current) => {
    const options = { adapter, keys: rsa.publicPem, issuer: ISSUER, audience: AUDIENCE, [old]: 'x' };
    expect(() => new OutOfSessionTokenRequest(options)).toThrow(
      new TypeError(`OutOfSessionTokenRequest: ${old} was renamed ${current}`),
    );
  });

  it('types only the new names', () => {
    const options: OutOfSessionTokenRequestOptions = {
      adapter,
      keys: rsa.publicPem,
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['RS256'],
      jwks: { cooldownSeconds: 10 },
      // @ts-expect-error renamed to issuer
      expectedIssuer: ISSUER,
    };
    expect(() => new OutOfSessionTokenRequest(options)).toThrow(/expectedIssuer was renamed issuer/);
  });

  it('is built like InSessionTokenRequest and shares its requestToken', () => {
    const inSession = new InSessionTokenRequest({ adapter });
    const outOfSession = new OutOfSessionTokenRequest({
      adapter,
      keys: rsa.publicPem,
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    expect(Object.getPrototypeOf(OutOfSessionTokenRequest)).toBe(
      Object.getPrototypeOf(InSessionTokenRequest),
    );
    expect(outOfSession.requestToken).toBe(inSession.requestToken);
  });
});
