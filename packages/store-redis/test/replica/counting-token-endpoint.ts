import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the endpoint received: which (agent, human) it was for, and when (performance.now()). */
export interface ReceivedTokenRequest {
  readonly agent: string;
  readonly human: string;
  readonly at: number;
}

/** How the endpoint answers; the test changes it between runs. */
export interface TokenEndpointBehaviour {
  /** Wait before answering, ms. */
  delayMs: number;
  /** Answer this OAuth error (HTTP 400) instead of a token. */
  refuseWith?: { readonly error: string; readonly description: string };
  /** Never answer the next request (its client may die holding it). */
  holdNext: boolean;
}

/**
 * A loopback OAuth token endpoint that counts the requests it receives: the IdP of the replica
 * tests. Each token names its request number, agent and human, so a test sees which request
 * every replica's token came from.
 */
export async function startCountingTokenEndpoint() {
  const received: ReceivedTokenRequest[] = [];
  const behaviour: TokenEndpointBehaviour = { delayMs: 20, holdNext: false };
  const listeners = new Set<(request: ReceivedTokenRequest) => void>();
  const held: ServerResponse[] = [];

  const answer = async (request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const form = new URLSearchParams(body);
    const entry = { agent: form.get('agent') ?? '', human: form.get('human') ?? '', at: performance.now() };
    received.push(entry);
    const number = received.length;
    for (const listener of listeners) listener(entry);
    if (behaviour.holdNext) {
      behaviour.holdNext = false;
      held.push(response);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    response.setHeader('content-type', 'application/json');
    if (behaviour.refuseWith !== undefined) {
      response.statusCode = 400;
      response.end(
        JSON.stringify({
          error: behaviour.refuseWith.error,
          error_description: behaviour.refuseWith.description,
        }),
      );
      return;
    }
    response.end(
      JSON.stringify({
        access_token: `token-${number}-${entry.agent}-${entry.human}`,
        token_type: 'Bearer',
        expires_in: 300,
      }),
    );
  };

  const server = createServer((request, response) => void answer(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token`,
    received,
    behaviour,
    /** Resolves with the next request received, or rejects after `timeoutMs`. */
    nextRequest(timeoutMs: number): Promise<ReceivedTokenRequest> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(onRequest);
          reject(new Error(`no token request within ${timeoutMs} ms`));
        }, timeoutMs);
        const onRequest = (entry: ReceivedTokenRequest) => {
          clearTimeout(timer);
          listeners.delete(onRequest);
          resolve(entry);
        };
        listeners.add(onRequest);
      });
    },
    async stop() {
      for (const response of held.splice(0)) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
