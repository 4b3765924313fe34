import { nodeCrypto } from './runtime.ts';

const base64UrlAlphabet = /^[A-Za-z0-9_-]*$/;

/** Whether `text` is strict, unpadded base64url (no `=`, `+`, `/`, whitespace, impossible lengths). */
export function isBase64Url(text: string): boolean {
  return text.length % 4 !== 1 && base64UrlAlphabet.test(text);
}

const nodeBuffer = nodeCrypto === undefined ? undefined : globalThis.Buffer;

/** Decodes base64url already checked with {@link isBase64Url}. */
export function decodeBase64Url(text: string): Uint8Array {
  if (nodeBuffer !== undefined) return nodeBuffer.from(text, 'base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** Encodes bytes as unpadded base64url. */
export function encodeBase64Url(bytes: Uint8Array): string {
  if (nodeBuffer !== undefined) {
    return nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
  }
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Decodes strict, canonical, unpadded base64url, or returns `undefined`. On Node the check is a
 * round trip (decode, re-encode, compare), which refuses every other character, padding and
 * non-canonical trailing bits, and is faster than a pattern over the whole token.
 */
export function decodeStrictBase64Url(text: string): Uint8Array | undefined {
  if (nodeBuffer !== undefined) {
    const bytes = nodeBuffer.from(text, 'base64url');
    return bytes.toString('base64url') === text ? bytes : undefined;
  }
  if (!isBase64Url(text)) return undefined;
  try {
    return decodeBase64Url(text);
  } catch {
    return undefined;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const nodeBufferModule = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:buffer') as typeof import('node:buffer') | undefined;

/** Decodes UTF-8, or returns `undefined` when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  if (nodeBufferModule !== undefined && nodeBuffer !== undefined) {
    // Node's native validator and decoder: much cheaper per call than a fatal TextDecoder.
    if (!nodeBufferModule.isUtf8(bytes)) return undefined;
    const buffer =
      bytes instanceof nodeBuffer ? bytes : nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return buffer.toString('utf8');
  }
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Decodes a strict base64url segment to text, or `undefined` when it is not base64url or not UTF-8. */
export function decodeBase64UrlText(text: string): string | undefined {
  const bytes = decodeStrictBase64Url(text);
  return bytes === undefined ? undefined : decodeUtf8(bytes);
}
