import type { ServerResponse } from 'node:http';
import type { BodyRefusal } from './read-json-body.ts';

/** Answers with a JSON body, never cached; `headers` add to or override the defaults. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

/** Answers a refused request body with its status and `{error}`, closing the connection when asked. */
export function sendBodyRefusal(
  response: ServerResponse,
  refusal: BodyRefusal,
  body: Record<string, unknown> = { error: refusal.error },
  headers: Record<string, string> = {},
): void {
  sendJson(response, refusal.status, body, {
    ...headers,
    ...(refusal.closeConnection ? { connection: 'close' } : {}),
  });
}
