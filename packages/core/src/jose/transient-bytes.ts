import { decodeBase64UrlText, hasCanonicalTail } from './base64url.ts';
import { nodeCrypto } from './node-crypto.ts';

// One buffer per process for bytes read within the synchronous call that wrote them: a signing
// input handed to a synchronous node:crypto.verify, a payload decoded and turned into text at once.
// It spares three allocations per token, which on a busy verifier also slow the signature check
// that follows them. Nothing may keep a view of it: the next token overwrites it.
const scratchSize = 32_768;
// UTF-8 spends at most three bytes on one UTF-16 unit, so text up to this length always fits.
const longestText = Math.floor(scratchSize / 3);
const nodeBuffer = nodeCrypto === undefined ? undefined : globalThis.Buffer;
const nodeBufferModule = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:buffer') as typeof import('node:buffer') | undefined;
let scratch: Buffer | undefined;

function scratchBuffer(buffer: typeof Buffer): Buffer {
  scratch ??= buffer.allocUnsafeSlow(scratchSize);
  return scratch;
}

/**
 * `text` as UTF-8 in the shared scratch buffer (a fresh buffer when it does not fit), for a
 * synchronous call that reads it at once: the next use of the scratch overwrites it. Node only.
 *
 * @example
 * ```ts
 * return verify('sha256', transientUtf8(signingInput), key, signature); // read before anything else runs
 * ```
 */
export function transientUtf8(text: string): Uint8Array {
  const buffer = nodeBuffer as typeof Buffer;
  if (text.length > longestText) return buffer.from(text, 'utf8');
  const bytes = scratchBuffer(buffer);
  return bytes.subarray(0, bytes.write(text, 0, 'utf8'));
}

/**
 * Whether every character of `text` is ASCII. On Node it is one native write into the scratch:
 * UTF-8 spends one byte on an ASCII character and more on any other.
 *
 * @example
 * ```ts
 * const ascii = isAsciiText(token);
 * ```
 */
export function isAsciiText(text: string): boolean {
  if (nodeBuffer !== undefined && text.length <= longestText) {
    return scratchBuffer(nodeBuffer).write(text, 0, 'utf8') === text.length;
  }
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) > 0x7f) return false;
  return true;
}

/**
 * Decodes a strict base64url segment of ASCII text (see {@link isAsciiText}) to UTF-8 text, or
 * returns `undefined` when it is not canonical base64url or not UTF-8: the verdicts of
 * `decodeBase64UrlText`, decoded through the scratch. Node's decoder skips characters outside its
 * alphabet and stops at `=`, so a full-length result means every character was one of its
 * alphabet: base64url's plus `+` and `/`, refused here. The precondition matters: Node's decoder
 * could read a non-ASCII character as an ASCII one.
 *
 * @example
 * ```ts
 * const payloadText = decodeAsciiBase64UrlText(payloadSegment);
 * ```
 */
export function decodeAsciiBase64UrlText(segment: string): string | undefined {
  const length = segment.length;
  if (nodeBuffer === undefined || nodeBufferModule === undefined || length > scratchSize) {
    return decodeBase64UrlText(segment);
  }
  if ((length & 3) === 1 || segment.indexOf('+') !== -1 || segment.indexOf('/') !== -1) return undefined;
  const bytes = scratchBuffer(nodeBuffer);
  const decoded = bytes.write(segment, 0, 'base64url');
  if (decoded !== (length * 3) >>> 2 || !hasCanonicalTail(segment)) return undefined;
  const text = bytes.toString('utf8', 0, decoded);
  // The decoder writes U+FFFD for every sequence that is not UTF-8; only then (or for a real
  // U+FFFD, which is valid) are the bytes checked, so the common case makes no view of the scratch.
  if (text.indexOf('\ufffd') !== -1 && !nodeBufferModule.isUtf8(bytes.subarray(0, decoded))) return undefined;
  return text;
}
