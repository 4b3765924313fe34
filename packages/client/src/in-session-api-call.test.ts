import { ApiCallError, TokenResponse } from '@dual-auth/core';
import { trustTestCa } from '@dual-auth/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../test/servers.ts';
import { InSessionAPICall } from './in-session-api-call.ts';
import { OutOfSessionAPICall } from './out-of-session-api-call.ts';

const tokenResponse = new TokenResponse({
  accessToken: 'access-token-1',
  tokenType: 'Bearer',
  expiresIn: 300,
});
const hybridToken = tokenResponse.withActAssertion('act-assertion-1');

const servers: TestServer[] = [];
async function serve(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const server = await startServer(...args);
  servers.push(server);
  return server;
}

const api = (options: ConstructorParameters<typeof InSessionAPICall>[0] = {}) =>
  new InSessionAPICall({ allowInsecureLoopback: true, retryBaseDelaySeconds: 0.01, ...options });

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'resolved',
    (error: unknown) => error,
  );
}

describe('InSessionAPICall', () => {
  let untrust: () => void;
  beforeAll(() => {
    untrust = trustTestCa();
  });
  afterAll(() => untrust());
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  it('sends the bearer token, the act assertion in hybrid mode, query parameters and JSON over https', async () => {
    const bodies: string[] = [];
    const server = await serve(
      (request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        request.on('end', () => {
          bodies.push(body);
          response.setHeader('content-type', 'application/json');
          response.end('{"ok":true}');
        });
      },
      { tls: true },
    );
    const client = new InSessionAPICall();
    const response = await client.callApi({
      method: 'post',
      url: `${server.url}/finance/summaries`,
      tokenResponse: hybridToken,
      params: { quarter: 'Q4', year: 2025 },
      json: { total: 1000 },
      headers: { 'x-correlation-id': 'c-1', authorization: 'Basic overridden' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/finance/summaries?quarter=Q4&year=2025');
    expect(request?.headers.authorization).toBe('Bearer access-token-1');
    expect(request?.headers['x-act-assertion']).toBe('act-assertion-1');
    expect(request?.headers['x-correlation-id']).toBe('c-1');
    expect(request?.headers['content-type']).toContain('application/json');
    expect(bodies).toEqual(['{"total":1000}']);

    await client.callApi({
      method: 'GET',
      url: `${server.url}/r`,
      tokenResponse,
      headers: { 'X-Act-Assertion': 'stale-assertion' },
    });
    expect(server.requests[1]?.headers['x-act-assertion']).toBeUndefined();
  });

  it('enforces https: http only on loopback with the opt-in, never with credentials in the URL', async () => {
    const server = await serve((_request, response) => response.end('ok'));
    const strict = new InSessionAPICall();
    for (const url of [
      `${server.url}/x`,
      'http://api.example.com/x',
      'ftp://127.0.0.1/x',
      'https://u:p@127.0.0.1/x',
      'nope',
    ]) {
      const error = await failureOf(strict.callApi({ method: 'GET', url, tokenResponse }));
      expect(error).toBeInstanceOf(ApiCallError);
      expect((error as ApiCallError).message).not.toContain('u:p');
    }
    expect(server.requests).toHaveLength(0);
    const response = await api().callApi({ method: 'GET', url: `${server.url}/x`, tokenResponse });
    expect(response.status).toBe(200);
    const remote = await failureOf(
      api().callApi({ method: 'GET', url: 'http://api.example.com/x', tokenResponse }),
    );
    expect(remote).toBeInstanceOf(ApiCallError);
    expect((remote as Error).message).toBe(
      'API URL http://api.example.com/x must use https, not http: http is accepted only on a loopback host (localhost, 127.0.0.0/8, [::1]) with DUAL_AUTH_ALLOW_INSECURE_LOOPBACK=true, never on another host',
    );
  });

  it("names the opt-in when it refuses loopback http, and honours the config's value", async () => {
    const server = await serve((_request, response) => response.end('ok'));
    const url = `${server.url}/x?token=canary-query`;
    const refused = await failureOf(new InSessionAPICall().callApi({ method: 'GET', url, tokenResponse }));
    expect((refused as Error).message).toBe(
      `API URL ${server.url}/x is refused: https is required; for loopback tests set DUAL_AUTH_ALLOW_INSECURE_LOOPBACK=true (or allowInsecureLoopback: true)`,
    );
    const config = { allowInsecureLoopback: true };
    for (const client of [new InSessionAPICall({ config }), new OutOfSessionAPICall({ config })]) {
      expect((await client.callApi({ method: 'GET', url, tokenResponse })).status).toBe(200);
    }
    const overridden = new InSessionAPICall({ config, allowInsecureLoopback: false });
    expect(await failureOf(overridden.callApi({ method: 'GET', url, tokenResponse }))).toBeInstanceOf(
      ApiCallError,
    );
    expect(server.requests).toHaveLength(2);
    expect(() => new InSessionAPICall({ config: {} as never })).toThrow(TypeError);
  });

  it('retries an idempotent request on 5xx with growing, jittered backoff, and returns the final answer', async () => {
    const times: number[] = [];
    const server = await serve((_request, response, index) => {
      times.push(Date.now());
      response.statusCode = index < 2 ? 503 : 200;
      response.end(index < 2 ? 'busy' : 'done');
    });
    const response = await api({ retryBaseDelaySeconds: 0.1 }).callApi({
      method: 'GET',
      url: `${server.url}/r`,
      tokenResponse,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('done');
    expect(server.requests).toHaveLength(3);
    // Equal jitter: the n-th wait is between half and all of base × 2^(n-1).
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(45);
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(95);
  });

  it.each(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])(
    'retries %s, and returns the last 5xx with its body',
    async (method) => {
      const server = await serve((_request, response) => {
        response.statusCode = 500;
        response.end('still broken');
      });
      const response = await api({ retries: 2 }).callApi({ method, url: `${server.url}/r`, tokenResponse });
      expect(response.status).toBe(500);
      if (method !== 'HEAD') expect(await response.text()).toBe('still broken');
      expect(server.requests).toHaveLength(3);
    },
  );

  it.each(['POST', 'PATCH'])('never retries %s', async (method) => {
    const server = await serve((_request, response) => {
      response.statusCode = 503;
      response.setHeader('retry-after', '0');
      response.end();
    });
    const response = await api().callApi({ method, url: `${server.url}/r`, tokenResponse, json: { a: 1 } });
    expect(response.status).toBe(503);
    expect(server.requests).toHaveLength(1);
  });

  it.each([400, 401, 403, 404])('never retries %i', async (status) => {
    const server = await serve((_request, response) => {
      response.statusCode = status;
      response.end();
    });
    const response = await api().callApi({ method: 'GET', url: `${server.url}/r`, tokenResponse });
    expect(response.status).toBe(status);
    expect(server.requests).toHaveLength(1);
  });

  it('honours Retry-After in seconds and as an HTTP-date', async () => {
    for (const retryAfter of ['1', () => new Date(Date.now() + 2_000).toUTCString()]) {
      const server = await serve((_request, response, index) => {
        response.statusCode = index === 0 ? 429 : 200;
        if (index === 0)
          response.setHeader('retry-after', typeof retryAfter === 'string' ? retryAfter : retryAfter());
        response.end();
      });
      const started = Date.now();
      const response = await api().callApi({ method: 'GET', url: `${server.url}/r`, tokenResponse });
      expect(response.status).toBe(200);
      expect(server.requests).toHaveLength(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    }
  });

  // The same rule as the token request (core's parseRateLimitWait): APIs behind Auth0- or Okta-style
  // gateways announce a 429's end as an epoch second, not as Retry-After.
  it("waits for a 429's X-Rate-Limit-Reset in epoch seconds", async () => {
    const server = await serve((_request, response, index) => {
      response.statusCode = index === 0 ? 429 : 200;
      if (index === 0) response.setHeader('x-rate-limit-reset', String(Math.ceil(Date.now() / 1000) + 1));
      response.end();
    });
    const started = Date.now();
    const response = await api().callApi({ method: 'GET', url: `${server.url}/r`, tokenResponse });
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('caps a long Retry-After at maxRetryDelaySeconds', async () => {
    const server = await serve((_request, response, index) => {
      response.statusCode = index === 0 ? 503 : 200;
      if (index === 0) response.setHeader('retry-after', '3600');
      response.end();
    });
    const started = Date.now();
    const response = await api({ maxRetryDelaySeconds: 0.2 }).callApi({
      method: 'GET',
      url: `${server.url}/r`,
      tokenResponse,
    });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('times out each attempt, retries idempotent requests, then rejects with ApiCallError', async () => {
    const server = await serve(() => {
      // never answers
    });
    const error = await failureOf(
      api({ timeoutSeconds: 0.2, retries: 1 }).callApi({
        method: 'GET',
        url: `${server.url}/slow?secret=1`,
        tokenResponse,
      }),
    );
    expect(error).toBeInstanceOf(ApiCallError);
    expect((error as ApiCallError).endpoint).toBe(`${server.url}/slow`);
    expect((error as ApiCallError).method).toBe('GET');
    expect((error as ApiCallError).message).toContain('timed out');
    expect((error as ApiCallError).message).not.toContain('secret=1');
    expect(server.requests).toHaveLength(2);
  });

  it('masks personal data in the URL path in errors and logs', async () => {
    let answered = false;
    const server = await serve((_request, response) => {
      if (!answered) {
        answered = true;
        response.statusCode = 503;
        response.end();
      }
      // then never answers
    });
    const lines: Array<[string, unknown]> = [];
    const capture = (message: string, fields?: Readonly<Record<string, unknown>>) =>
      lines.push([message, fields]);
    const logger = { debug: capture, info: capture, warn: capture, error: capture };
    const error = await failureOf(
      api({ timeoutSeconds: 0.2, retries: 1, logger }).callApi({
        method: 'GET',
        url: `${server.url}/users/alice.smith@example.com/reports`,
        tokenResponse,
      }),
    );
    expect(error).toBeInstanceOf(ApiCallError);
    expect((error as ApiCallError).endpoint).toBe(`${server.url}/users/[REDACTED:email]/reports`);
    expect(lines.map(([message]) => message)).toEqual(['API call retried', 'API call failed']);
    const text = JSON.stringify([lines, (error as Error).message, (error as ApiCallError).endpoint]);
    expect(text).not.toContain('alice.smith');
    const encoded = await failureOf(
      api({ timeoutSeconds: 0.2, retries: 0 }).callApi({
        method: 'POST',
        url: `${server.url}/users/bob%40example.com`,
        tokenResponse,
      }),
    );
    expect((encoded as ApiCallError).endpoint).toBe(`${server.url}/users/[REDACTED:email]`);
    expect((encoded as Error).message).not.toContain('bob');
  });

  it('retries a GET after a connection reset, but not a POST', async () => {
    const server = await serve((request, response, index) => {
      if (index === 0 || request.method === 'POST') {
        request.socket.destroy();
        return;
      }
      response.end('ok');
    });
    const response = await api().callApi({ method: 'GET', url: `${server.url}/r`, tokenResponse });
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(2);
    const error = await failureOf(
      api().callApi({ method: 'POST', url: `${server.url}/r`, tokenResponse, json: {} }),
    );
    expect(error).toBeInstanceOf(ApiCallError);
    expect((error as ApiCallError).status).toBeUndefined();
    expect(server.requests).toHaveLength(3);
  });

  it('rejects with ApiCallError when the connection is refused', async () => {
    const server = await serve((_request, response) => response.end());
    const url = `${server.url}/r`;
    await server.close();
    const error = await failureOf(api({ retries: 1 }).callApi({ method: 'GET', url, tokenResponse }));
    expect(error).toBeInstanceOf(ApiCallError);
    expect((error as ApiCallError).message).toContain('failed in transport');
    expect((error as ApiCallError).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('does not follow redirects, so credentials never leave for another origin', async () => {
    const elsewhere = await serve((_request, response) => response.end('elsewhere'));
    const server = await serve((_request, response) => {
      response.statusCode = 302;
      response.setHeader('location', `${elsewhere.url}/steal`);
      response.end();
    });
    const response = await api().callApi({
      method: 'GET',
      url: `${server.url}/r`,
      tokenResponse: hybridToken,
    });
    expect(response.status).toBe(302);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('uses the injected fetch, and passes an abort through', async () => {
    const server = await serve((_request, response) => response.end('ok'));
    let fetched = 0;
    const client = api({
      fetch: (input, init) => {
        fetched++;
        return fetch(input, init);
      },
    });
    await client.callApi({ method: 'GET', url: `${server.url}/r`, tokenResponse });
    expect(fetched).toBe(1);
    const controller = new AbortController();
    controller.abort(new Error('caller cancelled'));
    await expect(
      client.callApi({ method: 'GET', url: `${server.url}/r`, tokenResponse, signal: controller.signal }),
    ).rejects.toThrow('caller cancelled');
  });

  it('OutOfSessionAPICall behaves the same', async () => {
    const server = await serve((_request, response) => response.end('ok'));
    const client = new OutOfSessionAPICall({ allowInsecureLoopback: true });
    expect(client).toBeInstanceOf(InSessionAPICall);
    const response = await client.callApi({
      method: 'GET',
      url: `${server.url}/r`,
      tokenResponse: hybridToken,
    });
    expect(response.status).toBe(200);
    expect(server.requests[0]?.headers['x-act-assertion']).toBe('act-assertion-1');
  });

  it('rejects misuse with TypeError', async () => {
    expect(() => new InSessionAPICall({ timeoutSeconds: 0 })).toThrow(TypeError);
    expect(() => new InSessionAPICall({ retries: 11 })).toThrow(TypeError);
    expect(() => new InSessionAPICall({ retries: 1.5 })).toThrow(TypeError);
    // Every duration of one options object in seconds: the millisecond names are refused by name.
    // @ts-expect-error renamed
    expect(() => new InSessionAPICall({ maxRetryDelayMs: 200 })).toThrow(
      new TypeError('InSessionAPICall: maxRetryDelayMs was renamed maxRetryDelaySeconds (seconds)'),
    );
    // @ts-expect-error renamed
    expect(() => new InSessionAPICall({ retryBaseDelayMs: 10 })).toThrow(/retryBaseDelaySeconds/);
    expect(() => new InSessionAPICall({ maxRetryDelaySeconds: 601 })).toThrow(TypeError);
    const client = api();
    await expect(
      client.callApi({ method: 'GET /x', url: 'https://127.0.0.1/', tokenResponse }),
    ).rejects.toThrow(TypeError);
    await expect(
      client.callApi({ method: 'GET', url: 'https://127.0.0.1/', tokenResponse: {} as never }),
    ).rejects.toThrow(TypeError);
  });
});
