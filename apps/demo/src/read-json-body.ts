import type { IncomingMessage } from 'node:http';

/** Largest request body any demo server reads. */
export const MAXIMUM_BODY_BYTES = 16 * 1024;

/** A request body refused before its content is looked at: the HTTP status and what was wrong. */
export interface BodyRefusal {
  readonly ok: false;
  readonly status: 400 | 413 | 415;
  /** One sentence for the client (fixed text: never echoes the body). */
  readonly error: string;
  /** The rest of an oversized body is not read: the connection is closed after the answer. */
  readonly closeConnection: boolean;
}

/** What {@link readJsonBody} found: the body's JSON object, or why it was refused. */
export type JsonBody = { readonly ok: true; readonly value: Record<string, unknown> } | BodyRefusal;

const refusal = (status: BodyRefusal['status'], error: string, closeConnection = false): BodyRefusal => ({
  ok: false,
  status,
  error,
  closeConnection,
});

/** Whether a request's `content-type` is JSON (`application/json`, parameters allowed). */
export function isJsonRequest(request: IncomingMessage): boolean {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}

/**
 * Reads a request's body as a JSON object, at most {@link MAXIMUM_BODY_BYTES}. Refuses, each with
 * its own status: another content type (415), a body too large (413), an empty body, one that is
 * not JSON, or JSON that is not an object (400).
 */
export async function readJsonBody(request: IncomingMessage): Promise<JsonBody> {
  if (!isJsonRequest(request)) return refusal(415, 'content-type must be application/json');
  const tooLarge = refusal(413, `request body larger than ${MAXIMUM_BODY_BYTES} bytes`, true);
  if (Number(request.headers['content-length']) > MAXIMUM_BODY_BYTES) return tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAXIMUM_BODY_BYTES) return tooLarge;
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return refusal(400, 'request body is empty: expected a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return refusal(400, 'request body is not valid JSON');
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? { ok: true, value: parsed as Record<string, unknown> }
    : refusal(400, 'request body must be a JSON object');
}
