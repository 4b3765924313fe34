/**
 * Reads a response body as UTF-8 text, refusing (and cancelling) bodies larger than `maximumBytes`
 * whether or not they declare a `content-length`, so an untrusted server cannot exhaust memory.
 *
 * @example
 * ```ts
 * const text = await readLimitedText(response, 64 * 1024); // RangeError when larger
 * ```
 * @throws {RangeError} when the body is larger than `maximumBytes`.
 */
export async function readLimitedText(response: Response, maximumBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maximumBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new RangeError(`response body larger than ${maximumBytes} bytes`);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maximumBytes) {
      await reader.cancel().catch(() => undefined);
      throw new RangeError(`response body larger than ${maximumBytes} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
