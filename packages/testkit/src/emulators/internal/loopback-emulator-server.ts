import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { testTls } from '../../tls/test-tls.ts';

/** One answer of an emulator: a status, headers, and a JSON body (or none). */
export interface EmulatorReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** What an emulator's handler sees of a request. */
export interface EmulatorRequest {
  readonly method: string;
  /** Path and query, percent-decoding left to the handler. */
  readonly url: URL;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** How a running emulator misbehaves, switched at any time by the test. */
export interface EmulatorFaults {
  /** Delay before every answer, ms. */
  latencyMs: number;
  /** `drop` resets the connection without an answer; `unavailable` answers with the emulator's 503. */
  mode: 'none' | 'drop' | 'unavailable';
}

/** A started emulator server. */
export interface LoopbackEmulatorServer {
  readonly url: string;
  readonly port: number;
  readonly faults: EmulatorFaults;
  /** Every request received, faulted ones included. */
  readonly requestCount: number;
  close(): Promise<void>;
}

const maximumBodyBytes = 1024 * 1024;

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maximumBodyBytes) {
        reject(new Error('request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * Starts an HTTP(S) server on 127.0.0.1 with an ephemeral port, with the fault switches every
 * secrets-service emulator shares (latency, dropped connections, 503) and a `close()` that also
 * ends kept-alive and delayed connections, so test teardown never waits on a client.
 */
export async function startLoopbackEmulatorServer(options: {
  readonly tls: boolean;
  readonly unavailableReply: EmulatorReply;
  readonly handle: (request: EmulatorRequest) => EmulatorReply | undefined;
}): Promise<LoopbackEmulatorServer> {
  const faults: EmulatorFaults = { latencyMs: 0, mode: 'none' };
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let closing: Promise<void> | undefined;
  let requestCount = 0;

  const send = (response: http.ServerResponse, reply: EmulatorReply) => {
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    response.writeHead(reply.status, {
      ...(text === '' ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      'content-length': String(Buffer.byteLength(text)),
      ...reply.headers,
    });
    response.end(text);
  };

  const listener = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    requestCount++;
    let body: string;
    try {
      body = await readBody(request);
    } catch {
      return;
    }
    if (faults.latencyMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, faults.latencyMs);
        timers.add(timer);
      });
      if (closing !== undefined) return;
    }
    if (faults.mode === 'drop') {
      request.socket.destroy();
      return;
    }
    if (faults.mode === 'unavailable') {
      send(response, options.unavailableReply);
      return;
    }
    const url = new URL(request.url ?? '/', 'http://emulator.invalid');
    const reply = options.handle({
      method: request.method ?? 'GET',
      url,
      headers: request.headers,
      body,
    }) ?? {
      status: 404,
      body: { error: 'no such route' },
    };
    send(response, reply);
  };

  const server = options.tls
    ? https.createServer({ cert: testTls().cert, key: testTls().key }, listener)
    : http.createServer(listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    faults,
    get requestCount() {
      return requestCount;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
