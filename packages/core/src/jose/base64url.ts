import { nodeCrypto } from './node-crypto.ts';

const base64UrlAlphabet = /^[A-Za-z0-9_-]*$/;

/**
 * Whether `text` is strict, unpadded base64url (no `=`, `+`, `/`, whitespace, impossible lengths).
 *
 * @example
 * ```ts
 * isBase64Url('eyJhbGciOiJFUzI1NiJ9'); // true
 * ```
 */
export function isBase64Url(text: string): boolean {
  return text.length % 4 !== 1 && base64UrlAlphabet.test(text);
}

const nodeBuffer = nodeCrypto === undefined ? undefined : globalThis.Buffer;

/**
 * Decodes base64url already checked with {@link isBase64Url} (throws on other input off Node).
 *
 * @example
 * ```ts
 * const der = decodeBase64Url(pemBody);
 * ```
 */
export function decodeBase64Url(text: string): Uint8Array {
  if (nodeBuffer !== undefined) return nodeBuffer.from(text, 'base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * Encodes bytes as unpadded base64url.
 *
 * @example
 * ```ts
 * const segment = encodeBase64Url(signature);
 * ```
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  if (nodeBuffer !== undefined) {
    return nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
  }
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const encoder = new TextEncoder();

/**
 * Encodes text (as UTF-8) as unpadded base64url, e.g. a JWS header or payload.
 *
 * @example
 * ```ts
 * const header = encodeBase64UrlText(JSON.stringify({ alg: 'ES256', typ: 'act+jwt' }));
 * ```
 */
export function encodeBase64UrlText(text: string): string {
  if (nodeBuffer !== undefined) return nodeBuffer.from(text, 'utf8').toString('base64url');
  return encodeBase64Url(encoder.encode(text));
}

/**
 * Decodes strict, canonical, unpadded base64url, or returns `undefined`. On Node the check is a
 * round trip (decode, re-encode, compare), which refuses every other character, padding and
 * non-canonical trailing bits, and is faster than a pattern over the whole token.
 *
 * @example
 * ```ts
 * decodeStrictBase64Url('AQ=='); // undefined: padding is refused
 * ```
 */
export function decodeStrictBase64Url(text: string): Uint8Array | undefined {
  if (nodeBuffer !== undefined) {
    const bytes = nodeBuffer.from(text, 'base64url');
    return bytes.toString('base64url') === text ? bytes : undefined;
  }
  return decodeStrictBase64UrlPortably(text);
}

// Each base64url character's 6-bit value, for the canonical-tail check.
const alphabetValues = new Int8Array(128).fill(-1);
for (let index = 0; index < 64; index++) {
  alphabetValues['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.charCodeAt(index)] =
    index;
}

/**
 * {@link decodeStrictBase64Url} without `Buffer`, as edge runtimes run it: the alphabet, the
 * length and the unused low bits of the last character (zero, so one byte string has one encoding)
 * are checked before `atob` decodes.
 *
 * @example
 * ```ts
 * decodeStrictBase64UrlPortably('AR'); // undefined: the last character leaves bits set
 * ```
 */
export function decodeStrictBase64UrlPortably(text: string): Uint8Array | undefined {
  if (!isBase64Url(text) || !hasCanonicalTail(text)) return undefined;
  const tail = text.length & 3;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - tail) & 3);
  let binary: string;
  try {
    binary = atob(padded);
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * `text` as UTF-8 bytes when every character of it is ASCII, else `undefined` (and always
 * `undefined` off Node). UTF-8 spends one byte on an ASCII character and more on any other, so
 * the length tells, at no cost beyond the encoding a signature check needs anyway.
 *
 * @example
 * ```ts
 * const tokenBytes = encodeAsciiText(token);
 * ```
 */
export function encodeAsciiText(text: string): Uint8Array | undefined {
  if (nodeBuffer === undefined) return undefined;
  const bytes = nodeBuffer.from(text, 'utf8');
  return bytes.length === text.length ? bytes : undefined;
}

/**
 * {@link decodeStrictBase64Url} for text known to be ASCII (see {@link encodeAsciiText}), with the
 * same verdicts and without the re-encoding: Node's decoder drops every character outside its
 * alphabet and stops at `=`, so a full-length result means every character was one of its
 * alphabet, which is base64url's plus `+` and `/`, refused here. The last character must then
 * leave no bits unused. A non-ASCII character could pass for an ASCII one in Node's decoder, hence
 * the precondition.
 *
 * @example
 * ```ts
 * const signature = decodeStrictAsciiBase64Url(signatureSegment);
 * ```
 */
export function decodeStrictAsciiBase64Url(text: string): Uint8Array | undefined {
  if (nodeBuffer === undefined) return decodeStrictBase64Url(text);
  const length = text.length;
  const tail = length & 3;
  if (tail === 1 || text.indexOf('+') !== -1 || text.indexOf('/') !== -1) return undefined;
  const bytes = nodeBuffer.from(text, 'base64url');
  return bytes.length === (length * 3) >>> 2 && hasCanonicalTail(text) ? bytes : undefined;
}

/**
 * Whether the last character of base64url `text` leaves no bits unused, so that one byte string
 * has exactly one encoding (a length of 4n has no unused bits).
 *
 * @example
 * ```ts
 * hasCanonicalTail('AR'); // false: 'R' sets bits the single byte does not use
 * ```
 */
export function hasCanonicalTail(text: string): boolean {
  const tail = text.length & 3;
  if (tail === 0) return true;
  const value = alphabetValues[text.charCodeAt(text.length - 1)] ?? -1;
  return value >= 0 && (value & (tail === 2 ? 0x0f : 0x03)) === 0;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const nodeBufferModule = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:buffer') as typeof import('node:buffer') | undefined;

/**
 * Decodes UTF-8, or returns `undefined` when the bytes are not valid UTF-8.
 *
 * @example
 * ```ts
 * const text = decodeUtf8(bytes);
 * ```
 */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  if (nodeBufferModule !== undefined && nodeBuffer !== undefined) {
    // Node's native validator and decoder: much cheaper per call than a fatal TextDecoder.
    if (!nodeBufferModule.isUtf8(bytes)) return undefined;
    const buffer =
      bytes instanceof nodeBuffer ? bytes : nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // No argument: Node's shortest path to its UTF-8 decoder.
    return buffer.toString();
  }
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Decodes a strict base64url segment to text, or `undefined` when it is not base64url or not UTF-8.
 *
 * @example
 * ```ts
 * const headerText = decodeBase64UrlText(token.split('.')[0] ?? '');
 * ```
 */
export function decodeBase64UrlText(text: string): string | undefined {
  const bytes = decodeStrictBase64Url(text);
  return bytes === undefined ? undefined : decodeUtf8(bytes);
}
