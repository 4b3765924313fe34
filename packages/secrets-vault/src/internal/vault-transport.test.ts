import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAXIMUM_VAULT_RESPONSE_BYTES, vaultHttpRequest } from './vault-transport.ts';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

/** A local server whose answer each test decides; resolves its base URL. */
async function serve(
  handler: (request: IncomingMessage, response: import('node:http').ServerResponse) => void,
) {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('vaultHttpRequest', () => {
  it('sends the JSON body and headers, and parses the JSON answer', async () => {
    const base = await serve((request, response) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            method: request.method,
            token: request.headers['x-vault-token'],
            body: JSON.parse(text),
          }),
        );
      });
    });
    const answer = await vaultHttpRequest({
      method: 'POST',
      uri: `${base}/v1/auth/approle/login`,
      headers: { 'X-Vault-Token': 't-1' },
      json: { role_id: 'r' },
    });
    expect(answer).toEqual({
      statusCode: 200,
      body: { method: 'POST', token: 't-1', body: { role_id: 'r' } },
      request: { path: '/v1/auth/approle/login' },
    });
  });

  it('aborts the HTTP request when the signal fires: the server sees the connection close', async () => {
    let closed: () => void = () => undefined;
    const serverSawClose = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const base = await serve((request) => {
      // Never answers; the client's abort is what ends the exchange.
      request.socket.on('close', () => closed());
    });
    const controller = new AbortController();
    const pending = vaultHttpRequest({
      method: 'GET',
      uri: `${base}/v1/secret/data/x`,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await serverSawClose;
  });

  it('gives up after its timeout with ETIMEDOUT, and refuses an oversized answer', async () => {
    const slow = await serve(() => undefined);
    await expect(
      vaultHttpRequest({ method: 'GET', uri: `${slow}/v1/x`, timeout: 100 }),
    ).rejects.toMatchObject({
      code: 'ETIMEDOUT',
    });
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const huge = await serve((_request, response) => {
      response.writeHead(200);
      response.end('x'.repeat(MAXIMUM_VAULT_RESPONSE_BYTES + 1));
    });
    await expect(vaultHttpRequest({ method: 'GET', uri: `${huge}/v1/x` })).rejects.toMatchObject({
      code: 'ERR_RESPONSE_TOO_LARGE',
    });
  });
});
