import { ConfigurationError } from '@dual-auth/core';
import {
  decodePem,
  importVerificationKey,
  isKeyImportFailure,
  type KeyImportFailure,
  nodeCrypto,
  SUPPORTED_JWS_ALGORITHMS,
  subjectPublicKeyInfoOf,
  webCryptoAlgorithms,
} from '@dual-auth/core/jose';
import type { PublicKeyInput } from '../public-key-input.ts';

const MAXIMUM_KEY_FILE_BYTES = 64 * 1024;
const everyAlgorithm = new Set(SUPPORTED_JWS_ALGORITHMS);

/** The application's public key as a JWK with only the members that define it (and `kid`, `alg`). */
export type PublicJwk = Readonly<Record<string, unknown>> & { readonly kty: string };

function isKeyObject(input: unknown): input is import('node:crypto').KeyObject {
  return nodeCrypto !== undefined && input instanceof nodeCrypto.KeyObject;
}

/**
 * Converts a configured key to a public JWK synchronously where `node:crypto` can, so that a
 * malformed key is reported at construction. Returns `undefined` when only the asynchronous
 * WebCrypto path can read it. Throws `TypeError` for a key that can never be right.
 */
export function publicJwkSync(input: PublicKeyInput): PublicJwk | undefined {
  if (typeof input === 'string') {
    refusePrivatePem(input, (problem) => new TypeError(`keys ${problem}`));
    if (nodeCrypto === undefined) return undefined;
    try {
      return checked(nodeCrypto.createPublicKey(input).export({ format: 'jwk' }), keyTypeError);
    } catch (error) {
      if (error instanceof TypeError && error.message.startsWith('keys ')) throw error;
      throw new TypeError('keys is not a PEM public key or certificate');
    }
  }
  if (isKeyObject(input)) {
    if (input.type !== 'public') throw new TypeError('keys must be a public key');
    return checked(input.export({ format: 'jwk' }), keyTypeError);
  }
  if (input !== null && typeof input === 'object' && 'kty' in input) {
    return checked(input, keyTypeError);
  }
  throw new TypeError('keys must be PEM text, a JWK or a public KeyObject');
}

/** Reads a PEM public key from `path` (Node only), reporting problems as `ConfigurationError`s. */
export async function publicJwkFromFile(path: string): Promise<PublicJwk> {
  const fail = (problem: string, cause?: unknown) =>
    new ConfigurationError(`keyPath ${problem}.`, {
      setting: 'keyPath',
      ...(cause === undefined ? {} : { cause }),
    });
  const loader = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = loader?.getBuiltinModule?.('node:fs/promises') as typeof import('node:fs/promises') | undefined;
  if (fs === undefined) throw fail('needs a runtime with a file system; pass keys instead');
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

/** The asynchronous conversion, for runtimes without `node:crypto` (WebCrypto through the JOSE layer). */
export async function publicJwkFromPem(
  pem: string,
  fail: (problem: string, cause?: unknown) => Error,
): Promise<PublicJwk> {
  if (nodeCrypto !== undefined) {
    let exported: unknown;
    try {
      exported = nodeCrypto.createPublicKey(pem).export({ format: 'jwk' });
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
  const certificate = decodePem(pem, 'CERTIFICATE');
  const spki = certificate === undefined ? decodePem(pem, 'PUBLIC KEY') : subjectPublicKeyInfoOf(certificate);
  if (spki === undefined) throw fail('does not hold a PEM public key or certificate');
  // WebCrypto imports need the algorithm up front: try each key type until one fits.
  for (const alg of ['RS256', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const) {
    let exported: Record<string, unknown>;
    try {
      const key = await crypto.subtle.importKey('spki', spki, webCryptoAlgorithms[alg].importParams, true, [
        'verify',
      ]);
      const { alg: _alg, ext: _ext, key_ops: _keyOps, ...jwk } = await crypto.subtle.exportKey('jwk', key);
      exported = jwk;
    } catch {
      continue; // the next algorithm may fit
    }
    return checked(exported, fail);
  }
  throw fail('does not hold a PEM public key or certificate');
}

/**
 * The wording of a refused application key, as the client has always given it; the checks
 * themselves are the JOSE layer's (`importVerificationKey`).
 */
export function describeKeyFailure(failure: KeyImportFailure, input: unknown): string {
  const kty = (input as { kty?: unknown } | null)?.kty;
  switch (failure.problem) {
    case 'not_a_key':
      return 'is not a JWK object';
    case 'symmetric_key':
      return 'is a symmetric key; only public keys are accepted';
    case 'private_key':
      return 'holds private key material; give the public key only';
    case 'not_for_signatures':
      return 'is not a signature key';
    case 'verify_not_allowed':
      return 'is not allowed to verify';
    case 'missing_members':
      return kty === 'RSA' ? 'lacks n or e' : kty === 'EC' ? 'lacks crv, x or y' : 'lacks crv or x';
    case 'malformed_modulus':
    case 'rsa_too_short':
      return 'is an RSA key shorter than 2048 bits';
    case 'unsupported_key_type':
      return 'has an unsupported key type';
    case 'no_supported_algorithm':
    case 'no_allowed_algorithm':
      return 'has no algorithm dual-auth accepts';
    default:
      return failure.message;
  }
}

const keyTypeError = (problem: string) => new TypeError(`keys ${problem}`);

const definingMembers = ['kty', 'kid', 'alg', 'n', 'e', 'crv', 'x', 'y'] as const;

// The key is checked by the JOSE layer's import (WebCrypto keys import lazily, so this costs no
// crypto work); only the members that define a public key are kept.
function checked(input: unknown, fail: (problem: string) => Error): PublicJwk {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw fail('is not a JWK object');
  const key = importVerificationKey(input as never, everyAlgorithm, 'webcrypto');
  if (isKeyImportFailure(key)) throw fail(describeKeyFailure(key, input));
  const jwk: Record<string, unknown> = {};
  for (const member of definingMembers) {
    const value = (input as Record<string, unknown>)[member];
    if (typeof value === 'string') jwk[member] = value;
  }
  return jwk as PublicJwk;
}

function refusePrivatePem(pem: string, fail: (problem: string) => Error): void {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw fail('holds a private key; give the application public key only');
  }
}
