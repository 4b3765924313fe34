import type { IncomingMessage } from 'node:http';

/** Largest request body any demo server reads. */
export const MAXIMUM_BODY_BYTES = 16 * 1024;

/**
 * Reads a request's JSON body, at most {@link MAXIMUM_BODY_BYTES}: the object, `undefined` when the
 * body is empty, or `'invalid'` when it is too large or not a JSON object.
 */
export async function readJsonBody(
  request: IncomingMessage,
): Promise<Record<string, unknown> | undefined | 'invalid'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAXIMUM_BODY_BYTES) return 'invalid';
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : 'invalid';
  } catch {
    return 'invalid';
  }
}
