type BufferConstructor = { from(text: string, encoding: 'base64url'): Uint8Array };

let cachedBuffer: BufferConstructor | null | undefined;

// Node's Buffer decodes several times faster than atob; other runtimes take the standard path.
function nodeBuffer(): BufferConstructor | undefined {
  if (cachedBuffer === undefined) {
    const loader = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const module = loader?.getBuiltinModule?.('node:buffer') as { Buffer?: BufferConstructor } | undefined;
    cachedBuffer = module?.Buffer ?? null;
  }
  return cachedBuffer ?? undefined;
}

/** base64url (no padding) of `bytes`. */
export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const base64UrlAlphabet = /^[A-Za-z0-9_-]*$/;
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The bytes of a base64url string (no padding), or `undefined` when it is not canonical base64url:
 * the unused low bits of the last character must be zero, so one byte string has one encoding and
 * an altered JWT can never pass as the original.
 */
export function base64UrlDecode(text: string): Uint8Array | undefined {
  if (!base64UrlAlphabet.test(text) || text.length % 4 === 1) return undefined;
  const unusedBits = text.length % 4 === 2 ? 0b1111 : text.length % 4 === 3 ? 0b11 : 0;
  if (unusedBits !== 0 && (alphabet.indexOf(text.charAt(text.length - 1)) & unusedBits) !== 0)
    return undefined;
  const buffer = nodeBuffer();
  return buffer === undefined ? decodeWithAtob(text) : buffer.from(text, 'base64url');
}

/** The runtime-independent decoder behind {@link base64UrlDecode}, for canonical base64url input. */
export function decodeWithAtob(text: string): Uint8Array | undefined {
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
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
