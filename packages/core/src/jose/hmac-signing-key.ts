import { nodeCrypto } from './node-crypto.ts';
import { type SigningKey, type SigningKeyFailure, signingKeyFailure } from './signing-key.ts';

/**
 * The HMAC JWS algorithms (RFC 7518 §3.2), used only to sign `client_secret_jwt` assertions: the
 * layer never verifies with them, so a public key can never be taken for an HMAC secret.
 *
 * @example
 * ```ts
 * const algorithm: HmacAlgorithm = 'HS256';
 * ```
 */
export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';

const hashOf: Readonly<
  Record<HmacAlgorithm, { readonly node: string; readonly web: string; readonly bytes: number }>
> = {
  HS256: { node: 'sha256', web: 'SHA-256', bytes: 32 },
  HS384: { node: 'sha384', web: 'SHA-384', bytes: 48 },
  HS512: { node: 'sha512', web: 'SHA-512', bytes: 64 },
};

/**
 * Options of {@link importHmacSigningKey}.
 *
 * @example
 * ```ts
 * const options: HmacKeyOptions = { runtime: 'webcrypto', shortKeys: 'refuse' };
 * ```
 */
export interface HmacKeyOptions {
  /** `node:crypto` (default where it exists) or WebCrypto. */
  readonly runtime?: 'node' | 'webcrypto';
  /**
   * `refuse` (default) a secret shorter than the hash, as RFC 7518 §3.2 requires; `accept` signs with
   * it anyway, for a secret that only its issuer can change (a non-empty one is still required).
   */
  readonly shortKeys?: 'refuse' | 'accept';
}

/**
 * Imports an HMAC secret once for signing with `algorithm`. RFC 7518 §3.2: "A key of the same size
 * as the hash output (for instance, 256 bits for "HS256") or larger MUST be used", so a secret
 * shorter than 32, 48 or 64 bytes is refused with `hmac_key_too_short` (unless `shortKeys: 'accept'`;
 * an empty one always is).
 *
 * @example
 * ```ts
 * const key = await importHmacSigningKey(new TextEncoder().encode(secret.reveal()), 'HS256');
 * if (!isSigningKeyFailure(key)) await signCompactJws({ alg: 'HS256', typ: 'JWT' }, claims, key.sign);
 * ```
 */
export async function importHmacSigningKey(
  secret: Uint8Array,
  algorithm: HmacAlgorithm,
  options: HmacKeyOptions = {},
): Promise<SigningKey<HmacAlgorithm> | SigningKeyFailure> {
  const { runtime = nodeCrypto === undefined ? 'webcrypto' : 'node', shortKeys = 'refuse' } = options;
  const hash = hashOf[algorithm];
  if (hash === undefined) return signingKeyFailure('key_alg_mismatch', 'does not fit the algorithm');
  if (secret.length === 0) return signingKeyFailure('hmac_key_too_short', 'is empty');
  if (secret.length < hash.bytes && shortKeys === 'refuse') {
    return signingKeyFailure(
      'hmac_key_too_short',
      `is shorter than the ${hash.bytes} bytes ${algorithm} needs`,
    );
  }
  if (runtime === 'node' && nodeCrypto !== undefined) {
    const node = nodeCrypto;
    const key = node.createSecretKey(secret);
    return Object.freeze({
      algorithm,
      sign: (data: Uint8Array) => node.createHmac(hash.node, key).update(data).digest(),
    });
  }
  const key = await crypto.subtle.importKey(
    'raw',
    secret as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: hash.web },
    false,
    ['sign'],
  );
  return Object.freeze({
    algorithm,
    sign: async (data: Uint8Array) =>
      new Uint8Array(await crypto.subtle.sign('HMAC', key, data as Uint8Array<ArrayBuffer>)),
  });
}
