import type { JsonWebKey, KeyObject, webcrypto } from 'node:crypto';
import { decodeStrictBase64Url } from './base64url.ts';
import type { JwsAlgorithm } from './jws-algorithm.ts';
import { nodeCrypto } from './node-crypto.ts';
import { decodePem } from './pem.ts';
import type { JwsSign } from './sign-compact-jws.ts';
import { digestOf, webCryptoAlgorithms } from './web-crypto-algorithms.ts';

/**
 * A key imported once that signs JWS signing inputs with one algorithm.
 *
 * @example
 * ```ts
 * const jwt = await signCompactJws({ alg: key.algorithm, typ: 'JWT' }, claims, key.sign);
 * ```
 */
export interface SigningKey<Algorithm extends string = JwsAlgorithm> {
  readonly algorithm: Algorithm;
  readonly sign: JwsSign;
}

/**
 * Why a key cannot sign with the requested algorithm. Each caller words it for its own setting.
 *
 * @example
 * ```ts
 * if (failure.problem === 'hmac_key_too_short') console.error('use a longer client secret');
 * ```
 */
export type SigningKeyProblem =
  | 'not_a_key'
  | 'public_key'
  | 'sign_not_allowed'
  | 'key_alg_mismatch'
  | 'rsa_too_short'
  | 'hmac_key_too_short'
  | 'invalid_key';

/**
 * A key {@link importSigningKey} or `importHmacSigningKey` refused: the reason code and a default
 * wording ("is …"), which never holds key material.
 *
 * @example
 * ```ts
 * if (isSigningKeyFailure(key)) throw new TypeError(`privateKey ${key.message}`);
 * ```
 */
export interface SigningKeyFailure {
  readonly problem: SigningKeyProblem;
  readonly message: string;
}

/**
 * Whether an import result is a refusal.
 *
 * @example
 * ```ts
 * const key = await importSigningKey(jwk, 'ES256');
 * if (isSigningKeyFailure(key)) throw new TypeError(key.message);
 * ```
 */
export function isSigningKeyFailure<Algorithm extends string>(
  value: SigningKey<Algorithm> | SigningKeyFailure,
): value is SigningKeyFailure {
  return 'problem' in value;
}

/**
 * Private key material a caller may configure: a private JWK, PEM text (PKCS#8; PKCS#1 and SEC1 on
 * Node), a private Node `KeyObject` or a private WebCrypto `CryptoKey` with the `sign` usage.
 *
 * @example
 * ```ts
 * const input: PrivateKeyInput = readFileSync('agent-key.pem', 'utf8');
 * ```
 */
export type PrivateKeyInput = JsonWebKey | string | KeyObject | webcrypto.CryptoKey;

/**
 * A frozen {@link SigningKeyFailure}.
 *
 * @example
 * ```ts
 * return signingKeyFailure('rsa_too_short', 'is an RSA key under 2048 bits');
 * ```
 */
export const signingKeyFailure = (problem: SigningKeyProblem, message: string): SigningKeyFailure =>
  Object.freeze({ problem, message });

const minimumRsaBits = 2048;
const curveOf: Readonly<Record<string, string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };
const nodeCurveOf: Readonly<Record<string, string>> = {
  ES256: 'prime256v1',
  ES384: 'secp384r1',
  ES512: 'secp521r1',
};
const privateJwkMembers = ['kty', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'crv', 'x', 'y'] as const;
const mismatch = signingKeyFailure('key_alg_mismatch', 'does not fit the algorithm');
const tooShort = signingKeyFailure('rsa_too_short', 'is an RSA key under 2048 bits');

/**
 * Imports a private key once for signing with `algorithm`, checking that its type fits (an RSA key
 * signs RS/PS, a P-256 key ES256, an Ed25519 key EdDSA) and that an RSA key has at least 2048 bits.
 * `runtime` picks `node:crypto` (fast, sync signatures) or WebCrypto (any runtime); both give the
 * same signatures. Returns a {@link SigningKeyFailure} for anything else.
 *
 * @example
 * ```ts
 * const key = await importSigningKey(privateJwk, 'ES256');
 * if (!isSigningKeyFailure(key)) await signCompactJws({ alg: 'ES256' }, claims, key.sign);
 * ```
 */
export async function importSigningKey(
  input: PrivateKeyInput,
  algorithm: JwsAlgorithm,
  runtime: 'node' | 'webcrypto' = nodeCrypto === undefined ? 'webcrypto' : 'node',
): Promise<SigningKey | SigningKeyFailure> {
  if (isCryptoKey(input)) return fromCryptoKey(input, algorithm);
  const node = runtime === 'node' ? nodeCrypto : undefined;
  if (nodeCrypto !== undefined && (input as unknown) instanceof nodeCrypto.KeyObject) {
    return fromKeyObject(input as KeyObject, algorithm);
  }
  if (typeof input === 'string') {
    if (node !== undefined)
      return fromKeyObject(
        parse(() => node.createPrivateKey(input)),
        algorithm,
      );
    const der = decodePem(input, 'PRIVATE KEY');
    if (der === undefined) return signingKeyFailure('invalid_key', 'is not a PEM "PRIVATE KEY" (PKCS#8)');
    return fromWebImport(algorithm, (params) =>
      crypto.subtle.importKey('pkcs8', der, params, false, ['sign']),
    );
  }
  if (typeof input !== 'object' || input === null || typeof (input as JsonWebKey).kty !== 'string') {
    return signingKeyFailure('not_a_key', 'is not a JWK, a PEM private key, a KeyObject or a CryptoKey');
  }
  const jwk = input as JsonWebKey;
  if (typeof jwk.d !== 'string')
    return signingKeyFailure('public_key', 'is a public key; sign with the private key');
  if (jwk.alg !== undefined && jwk.alg !== algorithm) return mismatch;
  const material: Record<string, string> = {};
  for (const member of privateJwkMembers) {
    const value = jwk[member];
    if (typeof value === 'string') material[member] = value;
  }
  if (node !== undefined) {
    return fromKeyObject(
      parse(() => node.createPrivateKey({ key: material as never, format: 'jwk' })),
      algorithm,
    );
  }
  const fits = jwkFits(material, algorithm);
  if (fits !== undefined) return fits;
  return fromWebImport(algorithm, (params) =>
    crypto.subtle.importKey('jwk', material as webcrypto.JsonWebKey, params, false, ['sign']),
  );
}

function parse(read: () => KeyObject): KeyObject | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function fromKeyObject(key: KeyObject | undefined, algorithm: JwsAlgorithm): SigningKey | SigningKeyFailure {
  if (key === undefined) return signingKeyFailure('invalid_key', 'is not a valid private key');
  if (key.type !== 'private') {
    return signingKeyFailure(
      key.type === 'public' ? 'public_key' : 'not_a_key',
      `is a ${key.type} key; sign with the private key`,
    );
  }
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  const family = algorithm.slice(0, 2);
  const fits =
    (family === 'RS' && type === 'rsa') ||
    (family === 'PS' && (type === 'rsa' || type === 'rsa-pss')) ||
    (family === 'ES' && type === 'ec' && details.namedCurve === nodeCurveOf[algorithm]) ||
    (family === 'Ed' && type === 'ed25519');
  if (!fits) return mismatch;
  if ((type === 'rsa' || type === 'rsa-pss') && (details.modulusLength ?? 0) < minimumRsaBits)
    return tooShort;
  const node = nodeCrypto as NonNullable<typeof nodeCrypto>;
  const digest = digestOf[algorithm];
  const options =
    family === 'PS'
      ? {
          key,
          padding: node.constants.RSA_PKCS1_PSS_PADDING,
          saltLength: node.constants.RSA_PSS_SALTLEN_DIGEST,
        }
      : family === 'ES'
        ? { key, dsaEncoding: 'ieee-p1363' as const }
        : key;
  return Object.freeze({ algorithm, sign: (data: Uint8Array) => node.sign(digest, data, options) });
}

function jwkFits(
  jwk: Readonly<Record<string, string>>,
  algorithm: JwsAlgorithm,
): SigningKeyFailure | undefined {
  const family = algorithm.slice(0, 2);
  if (jwk.kty === 'RSA' && (family === 'RS' || family === 'PS')) {
    const modulus = jwk.n === undefined ? undefined : decodeStrictBase64Url(jwk.n);
    return modulus !== undefined && modulus.length * 8 >= minimumRsaBits ? undefined : tooShort;
  }
  if (jwk.kty === 'EC' && family === 'ES' && jwk.crv === curveOf[algorithm]) return undefined;
  if (jwk.kty === 'OKP' && family === 'Ed' && jwk.crv === 'Ed25519') return undefined;
  return mismatch;
}

async function fromWebImport(
  algorithm: JwsAlgorithm,
  importAs: (
    params: webcrypto.AlgorithmIdentifier | webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams,
  ) => Promise<webcrypto.CryptoKey>,
): Promise<SigningKey | SigningKeyFailure> {
  let key: webcrypto.CryptoKey;
  try {
    key = await importAs(webCryptoAlgorithms[algorithm].importParams);
  } catch {
    return signingKeyFailure('invalid_key', 'is not a valid private key for the algorithm');
  }
  return fromCryptoKey(key, algorithm);
}

function fromCryptoKey(key: webcrypto.CryptoKey, algorithm: JwsAlgorithm): SigningKey | SigningKeyFailure {
  if (key.type !== 'private')
    return signingKeyFailure('public_key', `is a ${key.type} key; sign with the private key`);
  if (!key.usages.includes('sign')) return signingKeyFailure('sign_not_allowed', "has no 'sign' usage");
  const { importParams, operationParams } = webCryptoAlgorithms[algorithm];
  const actual = key.algorithm as {
    name: string;
    hash?: { name?: string };
    namedCurve?: string;
    modulusLength?: number;
  };
  const wanted = importParams as { name: string; hash?: string; namedCurve?: string };
  if (
    actual.name !== wanted.name ||
    (wanted.hash !== undefined && actual.hash?.name !== wanted.hash) ||
    (wanted.namedCurve !== undefined && actual.namedCurve !== wanted.namedCurve)
  ) {
    return mismatch;
  }
  if (actual.modulusLength !== undefined && actual.modulusLength < minimumRsaBits) return tooShort;
  return Object.freeze({
    algorithm,
    sign: async (data: Uint8Array) =>
      new Uint8Array(await crypto.subtle.sign(operationParams, key, data as Uint8Array<ArrayBuffer>)),
  });
}

function isCryptoKey(value: unknown): value is webcrypto.CryptoKey {
  return (
    typeof value === 'object' &&
    value !== null &&
    (Object.prototype.toString.call(value) === '[object CryptoKey]' ||
      (typeof globalThis.CryptoKey === 'function' && value instanceof globalThis.CryptoKey))
  );
}
