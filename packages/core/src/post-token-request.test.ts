import { afterEach, describe, expect, it } from 'vitest';
import { type LoopbackServer, sendJson, startLoopbackServer } from '../test/loopback-server.ts';
import { createManualClock } from './clock.ts';
import { TokenRequestError } from './errors.ts';
import { MAXIMUM_TOKEN_RESPONSE_BYTES, postTokenRequest } from './post-token-request.ts';

const tokenBody = {
  access_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
  token_type: 'Bearer',
  expires_in: 300,
};
const fastRetry = { limit: 2, baseDelayMs: 5, maxDelayMs: 2000 };

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function form(fields: Record<string, string> = { grant_type: 'client_credentials' }) {
  return () => ({ body: new URLSearchParams(fields) });
}

async function failure(promise: Promise<unknown>): Promise<TokenRequestError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TokenRequestError);
  return error as TokenRequestError;
}

// A fixed clock about a year before the real time: a wait is only right if measured with it.
const fixedNow = Date.parse('2026-01-01T00:00:00Z');

function requestAtFixedNow(url: string) {
  return postTokenRequest({
    tokenEndpoint: url,
    createAttempt: form(),
    retry: fastRetry,
    clock: () => fixedNow,
  });
}

describe('postTokenRequest', () => {
  it('posts a form and returns the validated token response', async () => {
    server = await startLoopbackServer((_request, response) => sendJson(response, 200, tokenBody));
    const tokenResponse = await postTokenRequest({
      tokenEndpoint: server.url,
      createAttempt: () => ({
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'a b' }),
        headers: { authorization: 'Basic eDp5' },
      }),
      clock: () => 1_000_000,
    });
    expect(tokenResponse.accessToken).toBe(tokenBody.access_token);
    expect(tokenResponse.expiresAt).toBe(1_300_000);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers.authorization).toBe('Basic eDp5');
    expect(request?.body).toBe('grant_type=client_credentials&scope=a+b');
  });

  it('measures expiresAt from when the request was sent, not when the answer arrived', async () => {
    server = await startLoopbackServer((_request, response) => sendJson(response, 200, tokenBody));
    const clock = createManualClock(1_000_000);
    const tokenResponse = await postTokenRequest({
      tokenEndpoint: server.url,
      createAttempt: form(),
      clock: clock.now,
      // A slow round trip: 4 s pass between sending and the answer.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        clock.advance(4_000);
        return response;
      },
    });
    expect(tokenResponse.expiresAt).toBe(1_300_000);
  });

  it('posts JSON when the attempt body is a plain object', async () => {
    server = await startLoopbackServer((_request, response) => sendJson(response, 200, tokenBody));
    await postTokenRequest({
      tokenEndpoint: server.url,
      createAttempt: () => ({ body: { grant_type: 'client_credentials', audience: 'https://api' } }),
    });
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      grant_type: 'client_credentials',
      audience: 'https://api',
    });
  });

  it('retries 5xx with a fresh attempt each time, then succeeds', async () => {
    server = await startLoopbackServer((_request, response, index) =>
      index < 2
        ? sendJson(response, index === 0 ? 500 : 503, { error: 'temporarily_unavailable' })
        : sendJson(response, 200, tokenBody),
    );
    let built = 0;
    const tokenResponse = await postTokenRequest({
      tokenEndpoint: server.url,
      createAttempt: () => ({ body: new URLSearchParams({ attempt: String(++built) }) }),
      retry: fastRetry,
    });
    expect(tokenResponse.expiresIn).toBe(300);
    expect(server.requests.map((request) => request.body)).toEqual(['attempt=1', 'attempt=2', 'attempt=3']);
  });

  it('gives up after the retry limit with the last status', async () => {
    server = await startLoopbackServer((_request, response) =>
      sendJson(response, 502, { error: 'bad_gateway' }),
    );
    const error = await failure(
      postTokenRequest({ tokenEndpoint: server.url, createAttempt: form(), retry: fastRetry }),
    );
    expect(server.requests).toHaveLength(3);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_REQUEST', status: 502, oauthError: 'bad_gateway' });
  });

  it.each([400, 401, 403])('never retries %i', async (status) => {
    server = await startLoopbackServer((_request, response) =>
      sendJson(response, status, {
        error: 'invalid_client',
        error_description: 'Invalid client credentials',
      }),
    );
    const error = await failure(
      postTokenRequest({ tokenEndpoint: server.url, createAttempt: form(), retry: fastRetry }),
    );
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({ status, oauthError: 'invalid_client' });
    expect(error.message).toBe(
      `The IdP refused the token request: HTTP ${status} invalid_client (Invalid client credentials).`,
    );
  });

  it('honours Retry-After in seconds', async () => {
    server = await startLoopbackServer((_request, response, index) =>
      index === 0 ? sendJson(response, 429, {}, { 'retry-after': '1' }) : sendJson(response, 200, tokenBody),
    );
    const started = performance.now();
    await postTokenRequest({ tokenEndpoint: server.url, createAttempt: form(), retry: fastRetry });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP-date, measured with the injected clock', async () => {
    server = await startLoopbackServer((_request, response, index) =>
      index === 0
        ? sendJson(response, 503, {}, { 'retry-after': new Date(fixedNow + 1000).toUTCString() })
        : sendJson(response, 200, tokenBody),
    );
    const started = performance.now();
    await requestAtFixedNow(server.url);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('stops at once when Retry-After exceeds the cap, and reports it', async () => {
    server = await startLoopbackServer((_request, response) =>
      sendJson(response, 429, {}, { 'retry-after': '120' }),
    );
    const error = await failure(
      postTokenRequest({ tokenEndpoint: server.url, createAttempt: form(), retry: fastRetry }),
    );
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({ status: 429, oauthError: 'rate_limited', retryAfterSeconds: 120 });
  });

  // Auth0 (Rate Limit Policy) and Okta (Rate limit best practices) announce a 429's end as an epoch
  // second in x-ratelimit-reset / X-Rate-Limit-Reset and document no Retry-After; see
  // parse-rate-limit-wait.test.ts for the sources.
  it.each([
    ['auth0', { 'x-ratelimit-limit': '30', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '' }],
    ['okta', { 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': '' }],
  ])("waits until %s's rate-limit reset, measured with the injected clock", async (_vendor, headers) => {
    const withReset = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [
        name,
        value === '' ? String(fixedNow / 1000 + 1) : value,
      ]),
    );
    server = await startLoopbackServer((_request, response, index) =>
      index === 0 ? sendJson(response, 429, {}, withReset) : sendJson(response, 200, tokenBody),
    );
    const started = performance.now();
    await requestAtFixedNow(server.url);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it('stops at once when the rate-limit reset is beyond the cap, and reports the wait only', async () => {
    server = await startLoopbackServer((_request, response) =>
      sendJson(
        response,
        429,
        {},
        { 'x-ratelimit-limit': '4242', 'x-ratelimit-reset': String(fixedNow / 1000 + 120) },
      ),
    );
    const error = await failure(requestAtFixedNow(server.url));
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({ status: 429, oauthError: 'rate_limited', retryAfterSeconds: 120 });
    expect(`${error.message} ${JSON.stringify(error)}`).not.toMatch(/4242|1767225720/);
  });

  it('falls back to its backoff for a reset in the past, absurd or on a 5xx', async () => {
    for (const [status, reset] of [
      [429, String(fixedNow / 1000 - 10)],
      [429, String(fixedNow + 60_000)],
      [429, 'soon'],
      [503, String(fixedNow / 1000 + 60)],
    ] as const) {
      server = await startLoopbackServer((_request, response, index) =>
        index === 0
          ? sendJson(response, status, {}, { 'x-rate-limit-reset': reset })
          : sendJson(response, 200, tokenBody),
      );
      const started = performance.now();
      await requestAtFixedNow(server.url);
      expect(performance.now() - started, `${status} ${reset}`).toBeLessThan(500);
      expect(server.requests).toHaveLength(2);
      await server.close();
      server = undefined;
    }
  });

  it('lets Retry-After win over a rate-limit reset', async () => {
    server = await startLoopbackServer((_request, response, index) =>
      index === 0
        ? sendJson(
            response,
            429,
            {},
            { 'retry-after': '0', 'x-ratelimit-reset': String(fixedNow / 1000 + 120) },
          )
        : sendJson(response, 200, tokenBody),
    );
    await requestAtFixedNow(server.url);
    expect(server.requests).toHaveLength(2);
  });

  it('times out each attempt and retries, then reports the timeout', async () => {
    server = await startLoopbackServer((_request, response) => {
      setTimeout(() => sendJson(response, 200, tokenBody), 1000).unref();
    });
    const error = await failure(
      postTokenRequest({
        tokenEndpoint: server.url,
        createAttempt: form(),
        timeoutMs: 100,
        retry: { ...fastRetry, limit: 1 },
      }),
    );
    expect(server.requests).toHaveLength(2);
    expect(error).toMatchObject({ oauthError: 'timeout', status: undefined });
    expect(error.message).toBe('The IdP did not answer the token request within 100 ms.');
  });

  it('retries a dropped connection', async () => {
    server = await startLoopbackServer((_request, response, index) => {
      if (index === 0) response.socket?.destroy();
      else sendJson(response, 200, tokenBody);
    });
    await postTokenRequest({ tokenEndpoint: server.url, createAttempt: form(), retry: fastRetry });
    expect(server.requests).toHaveLength(2);
  });

  it('retries a body cut mid-way', async () => {
    server = await startLoopbackServer((_request, response, index) => {
      if (index > 0) return sendJson(response, 200, tokenBody);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      response.write('{"access_token":"eyJ');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    await postTokenRequest({ tokenEndpoint: server.url, createAttempt: form(), retry: fastRetry });
    expect(server.requests).toHaveLength(2);
  });

  it('reports a refused connection as a network error', async () => {
    server = await startLoopbackServer(() => undefined);
    const { url } = server;
    await server.close();
    server = undefined;
    const error = await failure(
      postTokenRequest({ tokenEndpoint: url, createAttempt: form(), retry: { limit: 0 } }),
    );
    expect(error).toMatchObject({ oauthError: 'network_error', status: undefined });
  });

  it.each([
    ['not JSON', 'text/html', '<html>oops</html>'],
    [
      'truncated JSON',
      'application/json',
      '{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln","tok',
    ],
    ['a wrong content type', 'text/plain', JSON.stringify(tokenBody)],
    ['no access token', 'application/json', JSON.stringify({ token_type: 'Bearer', expires_in: 300 })],
  ])('refuses a 200 with %s, without echoing the body', async (_kind, contentType, body) => {
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(200, { 'content-type': contentType });
      response.end(body);
    });
    const error = await failure(
      postTokenRequest({ tokenEndpoint: server.url, createAttempt: form(), retry: fastRetry }),
    );
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({ status: 200, oauthError: 'invalid_response' });
    expect(`${error.message} ${String(error.cause)}`).not.toContain('eyJ');
  });

  it.each([
    ['with a content-length', true],
    ['streamed', false],
  ])('refuses a body larger than 64 KiB %s', async (_kind, declareLength) => {
    const huge = JSON.stringify({ ...tokenBody, padding: 'x'.repeat(MAXIMUM_TOKEN_RESPONSE_BYTES) });
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        ...(declareLength ? { 'content-length': String(huge.length) } : {}),
      });
      response.end(huge);
    });
    const error = await failure(postTokenRequest({ tokenEndpoint: server.url, createAttempt: form() }));
    expect(error).toMatchObject({ status: 200, oauthError: 'invalid_response' });
    expect(error.message).toContain('larger than 65536 bytes');
  });

  it('stops when the caller aborts, also while waiting to retry', async () => {
    server = await startLoopbackServer((_request, response) =>
      sendJson(response, 429, {}, { 'retry-after': '2' }),
    );
    const controller = new AbortController();
    const pending = postTokenRequest({
      tokenEndpoint: server.url,
      createAttempt: form(),
      retry: { limit: 3, maxDelayMs: 5000 },
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('caller gave up')), 100);
    await expect(pending).rejects.toThrow('caller gave up');
    expect(server.requests).toHaveLength(1);
  });

  it('rejects out-of-range options with a TypeError', async () => {
    await expect(
      postTokenRequest({ tokenEndpoint: 'http://127.0.0.1:1/', createAttempt: form(), retry: { limit: 11 } }),
    ).rejects.toThrow(TypeError);
    await expect(
      postTokenRequest({ tokenEndpoint: 'http://127.0.0.1:1/', createAttempt: form(), timeoutMs: 0 }),
    ).rejects.toThrow('timeoutMs must be between 1 and 120000 milliseconds');
  });
});
