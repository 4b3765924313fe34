import { inspect } from 'node:util';
import { type Logger, TokenResponse } from '@dual-auth/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMemoryReplayStore,
  createTokenCache,
  InSessionAPICall,
  InSessionTokenRequest,
  OutOfSessionTokenRequest,
} from '../src/index.ts';
import { AUDIENCE, ISSUER, NOW, nowSeconds, signActJwt, testKeys, validClaims } from './act-jwt-fixtures.ts';
import { createCountingAdapter } from './counting-adapter.ts';
import { startServer, type TestServer } from './servers.ts';

const CANARY_EMAIL = 'canary.person@example.com';
const CANARY_NAME = 'Canary Q. Person';
const CANARY_TOKEN = 'canary-access-token-5e1d';
const CANARY_ASSERTION = 'canary-act-assertion-77aa';
const keys = testKeys();
const rsa = keys.RS256;
const privatePem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

function capturingLogger() {
  const lines: string[] = [];
  const entry = (level: string) => (message: string, fields?: Readonly<Record<string, unknown>>) =>
    lines.push(`${level} ${message} ${inspect(fields, { depth: 10 })} ${JSON.stringify(fields) ?? ''}`);
  const logger: Logger = {
    debug: entry('debug'),
    info: entry('info'),
    warn: entry('warn'),
    error: entry('error'),
  };
  return { logger, lines };
}

function canaryAdapter() {
  const { adapter, state } = createCountingAdapter();
  return {
    state,
    adapter: {
      ...adapter,
      requestToken: async (params: Parameters<typeof adapter.requestToken>[0]) => {
        await adapter.requestToken(params);
        return new TokenResponse({
          accessToken: CANARY_TOKEN,
          tokenType: 'Bearer',
          expiresIn: 300,
          actAssertion: CANARY_ASSERTION,
        });
      },
    },
  };
}

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

describe('canaries: no token, key, email or name leaks', () => {
  it('through logs, errors, serialization and inspection of every flow', async () => {
    const { logger, lines } = capturingLogger();
    const outputs: unknown[] = [];
    const act = { sub: 'user-canary', email: CANARY_EMAIL, name: CANARY_NAME };
    const { adapter, state } = canaryAdapter();
    const cache = createTokenCache({ logger });

    // In session: success, then an IdP failure.
    const inSession = new InSessionTokenRequest({ adapter, cache, logger });
    const token = await inSession.requestToken({ agentId: 'agent-canary', act, scope: ['read'] });
    outputs.push(token, inSession, cache);
    state.failNext = 1;
    outputs.push(
      await new InSessionTokenRequest({ adapter, cache: false, logger })
        .requestToken({ agentId: 'agent-canary', act })
        .catch((error: unknown) => error),
    );
    outputs.push(
      await inSession
        .requestToken({ agentId: 'agent-canary', act: { ...act, sub: '' } })
        .catch((e: unknown) => e),
    );

    // Out of session: success, replay, and refusals carrying canaries in the claims.
    const outOfSession = new OutOfSessionTokenRequest({
      adapter,
      keys: rsa.publicPem,
      issuer: ISSUER,
      audience: AUDIENCE,
      clock: () => NOW,
      replayStore: createMemoryReplayStore({ clock: () => NOW }),
      logger,
    });
    outputs.push(outOfSession);
    const claims = validClaims({ act, sub: act.sub });
    const jwt = await signActJwt(rsa, claims);
    outputs.push(await outOfSession.requestTokenFromJwt(jwt, { agentId: 'agent-canary' }));
    outputs.push(await outOfSession.receiveAndVerifyActJwt(jwt).catch((error: unknown) => error));
    for (const bad of [
      { ...claims, aud: CANARY_EMAIL },
      { ...claims, iss: CANARY_NAME },
      { ...claims, act: { sub: CANARY_EMAIL, email: 'not-an-email' } },
      { ...claims, exp: nowSeconds - 100 },
    ]) {
      outputs.push(
        await outOfSession.receiveAndVerifyActJwt(await signActJwt(rsa, bad)).catch((e: unknown) => e),
      );
    }
    outputs.push(
      await new OutOfSessionTokenRequest({
        adapter,
        keyPath: '/nonexistent/canary.pem',
        issuer: ISSUER,
        audience: AUDIENCE,
      })
        .receiveAndVerifyActJwt(jwt)
        .catch((e: unknown) => e),
    );
    try {
      new OutOfSessionTokenRequest({
        adapter,
        keys: privatePem,
        issuer: ISSUER,
        audience: AUDIENCE,
      });
    } catch (error) {
      outputs.push(error);
    }

    // API calls: success and a transport failure.
    const server = await startServer((_request, response) => response.end('ok'));
    servers.push(server);
    const client = new InSessionAPICall({
      allowInsecureLoopback: true,
      logger,
      timeoutSeconds: 0.2,
      retries: 0,
    });
    outputs.push(
      client,
      await client.callApi({ method: 'GET', url: `${server.url}/r`, tokenResponse: token }),
    );
    const silent = await startServer(() => undefined);
    servers.push(silent);
    outputs.push(
      await client
        .callApi({ method: 'POST', url: `${silent.url}/r?email=${CANARY_EMAIL}`, tokenResponse: token })
        .catch((e: unknown) => e),
    );

    expect(lines.length).toBeGreaterThan(5);
    const texts = [
      ...lines,
      ...outputs.flatMap((output) => [
        inspect(output, { depth: 10, showHidden: true }),
        JSON.stringify(output) ?? '',
        String(output),
        output instanceof Error ? `${output.message} ${String(output.cause ?? '')}` : '',
      ]),
    ];
    for (const canary of [
      CANARY_TOKEN,
      CANARY_ASSERTION,
      CANARY_EMAIL,
      CANARY_NAME,
      jwt,
      'BEGIN PRIVATE KEY',
    ]) {
      for (const text of texts) expect(text).not.toContain(canary);
    }
  });
});
