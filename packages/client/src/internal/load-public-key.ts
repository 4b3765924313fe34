import { ConfigurationError } from '@dual-auth/core';
import { exportJWK, importSPKI, importX509 } from 'jose';
import type { PublicKeyInput } from '../public-key-input.ts';
import { nodeCrypto } from './node-crypto.ts';
import { type PublicJwk, toPublicJwk } from './verification-key.ts';

const MAXIMUM_KEY_FILE_BYTES = 64 * 1024;

function isKeyObject(input: unknown): input is import('node:crypto').KeyObject {
  const crypto = nodeCrypto();
  return crypto !== undefined && input instanceof crypto.KeyObject;
}

/**
 * Converts a configured key to a public JWK synchronously where `node:crypto` can, so that a
 * malformed key is reported at construction. Returns `undefined` when only the asynchronous
 * WebCrypto path can read it. Throws `TypeError` for a key that can never be right.
 */
export function publicJwkSync(input: PublicKeyInput): PublicJwk | undefined {
  if (typeof input === 'string') {
    refusePrivatePem(input, (problem) => new TypeError(`appPublicKey ${problem}`));
    const crypto = nodeCrypto();
    if (crypto === undefined) return undefined;
    try {
      return checked(crypto.createPublicKey(input).export({ format: 'jwk' }), keyTypeError);
    } catch (error) {
      if (error instanceof TypeError && error.message.startsWith('appPublicKey')) throw error;
      throw new TypeError('appPublicKey is not a PEM public key or certificate');
    }
  }
  if (isKeyObject(input)) {
    if (input.type !== 'public') throw new TypeError('appPublicKey must be a public key');
    return checked(input.export({ format: 'jwk' }), keyTypeError);
  }
  if (input !== null && typeof input === 'object' && 'kty' in input) {
    return checked(input, keyTypeError);
  }
  throw new TypeError('appPublicKey must be PEM text, a JWK or a public KeyObject');
}

/** Reads a PEM public key from `path` (Node only), reporting problems as `ConfigurationError`s. */
export async function publicJwkFromFile(path: string): Promise<PublicJwk> {
  const fail = (problem: string, cause?: unknown) =>
    new ConfigurationError(`appPublicKeyPath ${problem}.`, {
      setting: 'appPublicKeyPath',
      ...(cause === undefined ? {} : { cause }),
    });
  const loader = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = loader?.getBuiltinModule?.('node:fs/promises') as typeof import('node:fs/promises') | undefined;
  if (fs === undefined) throw fail('needs a runtime with a file system; pass appPublicKey instead');
  let text: string;
  try {
    const handle = await fs.open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAXIMUM_KEY_FILE_BYTES) throw fail(`is larger than ${MAXIMUM_KEY_FILE_BYTES} bytes`);
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw fail('cannot be read', error);
  }
  refusePrivatePem(text, (problem) => fail(problem));
  return publicJwkFromPem(text, (problem, cause) => fail(problem, cause));
}

/** The asynchronous conversion, for runtimes without `node:crypto` (WebCrypto through jose). */
export async function publicJwkFromPem(
  pem: string,
  fail: (problem: string, cause?: unknown) => Error,
): Promise<PublicJwk> {
  const crypto = nodeCrypto();
  if (crypto !== undefined) {
    let exported: unknown;
    try {
      exported = crypto.createPublicKey(pem).export({ format: 'jwk' });
    } catch (error) {
      throw fail('does not hold a PEM public key or certificate', error);
    }
    return checked(exported, fail);
  }
  return publicJwkFromPemWithWebCrypto(pem, fail);
}

/** The WebCrypto path of {@link publicJwkFromPem}, for runtimes without `node:crypto`. */
export async function publicJwkFromPemWithWebCrypto(
  pem: string,
  fail: (problem: string, cause?: unknown) => Error,
): Promise<PublicJwk> {
  const isCertificate = pem.includes('-----BEGIN CERTIFICATE-----');
  // WebCrypto imports need the algorithm up front: try each key type until one fits.
  for (const alg of ['RS256', 'ES256', 'ES384', 'ES512', 'EdDSA']) {
    let exported: Record<string, unknown>;
    try {
      const key = isCertificate
        ? await importX509(pem, alg, { extractable: true })
        : await importSPKI(pem, alg, { extractable: true });
      const { alg: _ignored, ...jwk } = await exportJWK(key);
      exported = jwk;
    } catch {
      continue; // the next algorithm may fit
    }
    return checked(exported, fail);
  }
  throw fail('does not hold a PEM public key or certificate');
}

const keyTypeError = (problem: string) => new TypeError(`appPublicKey ${problem}`);

function checked(input: unknown, fail: (problem: string) => Error): PublicJwk {
  const result = toPublicJwk(input);
  if (!result.ok) throw fail(result.problem);
  return result.jwk;
}

function refusePrivatePem(pem: string, fail: (problem: string) => Error): void {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw fail('holds a private key; give the application public key only');
  }
}
