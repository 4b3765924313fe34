import type { webcrypto } from 'node:crypto';
import type { JwsAlgorithm } from './jws-algorithm.ts';

/**
 * WebCrypto import parameters (`importKey`) and operation parameters (`sign`/`verify`) of one JWS
 * algorithm.
 *
 * @example
 * ```ts
 * const { importParams, operationParams } = webCryptoAlgorithms.ES256;
 * ```
 */
export interface WebCryptoAlgorithm {
  readonly importParams: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm;
  readonly operationParams: webcrypto.AlgorithmIdentifier | webcrypto.RsaPssParams | webcrypto.EcdsaParams;
}

const rsa = (hash: string): WebCryptoAlgorithm => ({
  importParams: { name: 'RSASSA-PKCS1-v1_5', hash },
  operationParams: { name: 'RSASSA-PKCS1-v1_5' },
});
// The PSS salt is as long as the digest (RFC 7518 §3.5).
const pss = (hash: string, saltLength: number): WebCryptoAlgorithm => ({
  importParams: { name: 'RSA-PSS', hash },
  operationParams: { name: 'RSA-PSS', saltLength },
});
const ecdsa = (namedCurve: string, hash: string): WebCryptoAlgorithm => ({
  importParams: { name: 'ECDSA', namedCurve },
  operationParams: { name: 'ECDSA', hash },
});
const ed25519: WebCryptoAlgorithm = {
  importParams: { name: 'Ed25519' },
  operationParams: { name: 'Ed25519' },
};

/**
 * The WebCrypto parameters of every {@link JwsAlgorithm}.
 *
 * @example
 * ```ts
 * const key = await crypto.subtle.importKey('spki', der, webCryptoAlgorithms.RS256.importParams, false, ['verify']);
 * ```
 */
export const webCryptoAlgorithms: Readonly<Record<JwsAlgorithm, WebCryptoAlgorithm>> = Object.freeze({
  RS256: rsa('SHA-256'),
  RS384: rsa('SHA-384'),
  RS512: rsa('SHA-512'),
  PS256: pss('SHA-256', 32),
  PS384: pss('SHA-384', 48),
  PS512: pss('SHA-512', 64),
  ES256: ecdsa('P-256', 'SHA-256'),
  ES384: ecdsa('P-384', 'SHA-384'),
  ES512: ecdsa('P-521', 'SHA-512'),
  EdDSA: ed25519,
  Ed25519: ed25519,
});

/**
 * The `node:crypto` digest of every {@link JwsAlgorithm} (`null` for EdDSA, which hashes itself).
 *
 * @example
 * ```ts
 * nodeSign(digestOf[algorithm], data, key);
 * ```
 */
export const digestOf: Readonly<Record<JwsAlgorithm, 'sha256' | 'sha384' | 'sha512' | null>> = Object.freeze({
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
  EdDSA: null,
  Ed25519: null,
});
