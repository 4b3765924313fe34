import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { testTls } from '@dual-auth/testkit';

export interface TestServer {
  readonly url: string;
  readonly requests: IncomingMessage[];
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse, index: number) => void;

/** A real HTTP(S) server on 127.0.0.1 and a free port, recording every request it answers. */
export async function startServer(handler: Handler, options: { tls?: boolean } = {}): Promise<TestServer> {
  const requests: IncomingMessage[] = [];
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    requests.push(request);
    handler(request, response, requests.length - 1);
  };
  const { cert, key } = testTls();
  const server = options.tls ? createHttpsServer({ cert, key }, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
