import type { JsonWebKey, KeyObject, webcrypto } from 'node:crypto';
import { decodeBase64Url, decodeStrictBase64Url } from './base64url.ts';
import type { JwsAlgorithm } from './jws-algorithm.ts';
import { nodeCrypto } from './node-crypto.ts';
import { transientUtf8 } from './transient-bytes.ts';
import { digestOf, type WebCryptoAlgorithm, webCryptoAlgorithms } from './web-crypto-algorithms.ts';

/**
 * One public key, usable only with the algorithms its type allows.
 *
 * @example
 * ```ts
 * const valid = await key.verify('ES256', signingInput, signature);
 * ```
 */
export interface VerificationKey {
  readonly kid: string | undefined;
  readonly algorithms: ReadonlySet<JwsAlgorithm>;
  /** Checks `signature` over `signingInput` (as UTF-8); sync on Node, async on WebCrypto. */
  verify(algorithm: JwsAlgorithm, signingInput: string, signature: Uint8Array): boolean | Promise<boolean>;
}

/**
 * Public key material a caller may configure: a JWK, PEM text (SPKI, or a certificate on Node) or a
 * Node `KeyObject`.
 *
 * @example
 * ```ts
 * const input: PublicKeyInput = readFileSync('idp-public.pem', 'utf8');
 * ```
 */
export type PublicKeyInput = JsonWebKey | string | KeyObject;

/**
 * Why a key cannot verify signatures. Each caller words it for its own setting.
 *
 * @example
 * ```ts
 * if (failure.problem === 'rsa_too_short') console.error('generate a 2048-bit key');
 * ```
 */
export type KeyProblem =
  | 'not_a_key'
  | 'private_key'
  | 'symmetric_key'
  | 'not_for_signatures'
  | 'verify_not_allowed'
  | 'malformed_kid'
  | 'missing_members'
  | 'malformed_modulus'
  | 'rsa_too_short'
  | 'unsupported_key_type'
  | 'no_supported_algorithm'
  | 'no_allowed_algorithm'
  | 'invalid_key';

/**
 * A key {@link importVerificationKey} refused: the reason code and a default wording ("is …").
 *
 * @example
 * ```ts
 * if (isKeyImportFailure(key)) throw new TypeError(`keys[0] ${key.message}`);
 * ```
 */
export interface KeyImportFailure {
  readonly problem: KeyProblem;
  readonly message: string;
}

/**
 * Whether an {@link importVerificationKey} result is a refusal.
 *
 * @example
 * ```ts
 * const key = importVerificationKey(jwk, allowed);
 * if (isKeyImportFailure(key)) throw new TypeError(key.message);
 * ```
 */
export function isKeyImportFailure(value: VerificationKey | KeyImportFailure): value is KeyImportFailure {
  return 'problem' in value;
}

const fail = (problem: KeyProblem, message: string): KeyImportFailure => Object.freeze({ problem, message });

const minimumRsaBits = 2048;
const rsaAlgorithms: readonly JwsAlgorithm[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const pssAlgorithms: readonly JwsAlgorithm[] = ['PS256', 'PS384', 'PS512'];
const curveAlgorithms: Readonly<Record<string, readonly JwsAlgorithm[]>> = {
  'P-256': ['ES256'],
  'P-384': ['ES384'],
  'P-521': ['ES512'],
  prime256v1: ['ES256'],
  secp384r1: ['ES384'],
  secp521r1: ['ES512'],
};

/**
 * Turns a JWK, a PEM public key or a Node `KeyObject` into a {@link VerificationKey} limited to the
 * `allowed` algorithms its type permits, so a token cannot choose how its own signature is checked
 * (an RSA key never checks ECDSA or HMAC). Returns a {@link KeyImportFailure} for a key that is
 * private, symmetric, under 2048 bits (RSA), of an unknown type, or fits none of `allowed`.
 * `runtime` picks `node:crypto` (fast, sync) or WebCrypto (any runtime); both accept the same
 * signatures.
 *
 * @example
 * ```ts
 * const key = importVerificationKey(jwk, new Set(['RS256']));
 * if (!isKeyImportFailure(key)) await key.verify('RS256', signingInput, signature);
 * ```
 */
export function importVerificationKey(
  input: PublicKeyInput,
  allowed: ReadonlySet<JwsAlgorithm>,
  runtime: 'node' | 'webcrypto' = nodeCrypto === undefined ? 'webcrypto' : 'node',
): VerificationKey | KeyImportFailure {
  const node = runtime === 'node';
  if (typeof input === 'string') return importPem(input, allowed, node);
  if (isJwk(input)) return importJwk(input, allowed, node);
  if (nodeCrypto !== undefined && (input as unknown) instanceof nodeCrypto.KeyObject) {
    return importKeyObject(input as KeyObject, allowed);
  }
  return fail('not_a_key', 'is not a JWK, a PEM public key or a KeyObject');
}

type UntrustedJwk = JsonWebKey & { kid?: unknown; use?: unknown };

function isJwk(input: unknown): input is UntrustedJwk {
  return (
    typeof input === 'object' &&
    input !== null &&
    !Array.isArray(input) &&
    typeof (input as { kty?: unknown }).kty === 'string'
  );
}

function intersect(candidates: readonly JwsAlgorithm[], allowed: ReadonlySet<JwsAlgorithm>) {
  return new Set(candidates.filter((algorithm) => allowed.has(algorithm)));
}

function jwkCandidates(jwk: UntrustedJwk): readonly JwsAlgorithm[] | KeyImportFailure {
  if (jwk.kty === 'RSA') {
    if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
      return fail('missing_members', 'is an RSA key without n or e');
    }
    const modulus = decodeStrictBase64Url(jwk.n);
    if (modulus === undefined) return fail('malformed_modulus', 'is an RSA key with a malformed modulus');
    if (modulus.length * 8 < minimumRsaBits) return fail('rsa_too_short', 'is an RSA key under 2048 bits');
    return rsaAlgorithms;
  }
  if (jwk.kty === 'EC') {
    if (typeof jwk.crv !== 'string' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') {
      return fail('missing_members', 'is an EC key without crv, x or y');
    }
    return Object.hasOwn(curveAlgorithms, jwk.crv) && jwk.crv.startsWith('P-')
      ? (curveAlgorithms[jwk.crv] ?? [])
      : [];
  }
  if (jwk.kty === 'OKP') {
    if (typeof jwk.crv !== 'string' || typeof jwk.x !== 'string') {
      return fail('missing_members', 'is an OKP key without crv or x');
    }
    return jwk.crv === 'Ed25519' ? ['EdDSA', 'Ed25519'] : [];
  }
  return fail('unsupported_key_type', 'has an unsupported key type');
}

function importJwk(
  jwk: UntrustedJwk,
  allowed: ReadonlySet<JwsAlgorithm>,
  node: boolean,
): VerificationKey | KeyImportFailure {
  if (jwk.kty === 'oct' || 'k' in jwk) return fail('symmetric_key', 'is a private or symmetric key');
  if ('d' in jwk || 'p' in jwk) return fail('private_key', 'is a private or symmetric key');
  if (jwk.use !== undefined && jwk.use !== 'sig')
    return fail('not_for_signatures', 'is not a signing key (use)');
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) {
    return fail('verify_not_allowed', 'does not allow verify (key_ops)');
  }
  const kid = jwk.kid === undefined ? undefined : typeof jwk.kid === 'string' ? jwk.kid : null;
  if (kid === null) return fail('malformed_kid', 'has a kid that is not a string');
  const found = jwkCandidates(jwk);
  if (!Array.isArray(found)) return found as KeyImportFailure;
  let candidates = found as readonly JwsAlgorithm[];
  if (jwk.alg !== undefined) candidates = candidates.filter((algorithm) => algorithm === jwk.alg);
  if (candidates.length === 0) {
    return fail('no_supported_algorithm', 'allows none of the configured algorithms');
  }
  const algorithms = intersect(candidates, allowed);
  if (algorithms.size === 0) return fail('no_allowed_algorithm', 'allows none of the configured algorithms');
  const material: Record<string, string> = { kty: jwk.kty as string };
  for (const member of ['n', 'e', 'crv', 'x', 'y'] as const) {
    const value = jwk[member];
    if (typeof value === 'string') material[member] = value;
  }
  if (node && nodeCrypto !== undefined) {
    try {
      const key = nodeCrypto.createPublicKey({ key: material as never, format: 'jwk' });
      return nodeKey(kid, algorithms, key);
    } catch {
      return fail('invalid_key', 'is not a valid public key');
    }
  }
  return webKey(kid, algorithms, (params) =>
    crypto.subtle.importKey('jwk', material as webcrypto.JsonWebKey, params, false, ['verify']),
  );
}

function importPem(
  pem: string,
  allowed: ReadonlySet<JwsAlgorithm>,
  node: boolean,
): VerificationKey | KeyImportFailure {
  if (/PRIVATE KEY/.test(pem)) return fail('private_key', 'is a private key; configure the public key');
  if (node && nodeCrypto !== undefined) {
    try {
      return importKeyObject(nodeCrypto.createPublicKey(pem), allowed);
    } catch {
      return fail('invalid_key', 'is not a valid PEM public key');
    }
  }
  const body = /-----BEGIN PUBLIC KEY-----([\s\S]+?)-----END PUBLIC KEY-----/.exec(pem)?.[1];
  if (body === undefined) return fail('invalid_key', 'is not a PEM "PUBLIC KEY" (SPKI)');
  let der: Uint8Array;
  try {
    der = decodeBase64Url(
      body.replace(/\s+/g, '').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
    );
  } catch {
    return fail('invalid_key', 'is not a valid PEM public key');
  }
  // On WebCrypto the key type is learned by importing per algorithm: an import that fails means
  // the algorithm does not fit the key, and the token is refused.
  return webKey(undefined, new Set(allowed), (params) =>
    crypto.subtle.importKey('spki', der as Uint8Array<ArrayBuffer>, params, false, ['verify']),
  );
}

function importKeyObject(
  key: KeyObject,
  allowed: ReadonlySet<JwsAlgorithm>,
): VerificationKey | KeyImportFailure {
  if (key.type !== 'public') {
    return fail(
      key.type === 'secret' ? 'symmetric_key' : 'private_key',
      `is a ${key.type} key; configure the public key`,
    );
  }
  const details = key.asymmetricKeyDetails ?? {};
  let candidates: readonly JwsAlgorithm[];
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      if ((details.modulusLength ?? 0) < minimumRsaBits)
        return fail('rsa_too_short', 'is an RSA key under 2048 bits');
      candidates = key.asymmetricKeyType === 'rsa' ? rsaAlgorithms : pssAlgorithms;
      break;
    case 'ec':
      candidates = curveAlgorithms[details.namedCurve ?? ''] ?? [];
      break;
    case 'ed25519':
      candidates = ['EdDSA', 'Ed25519'];
      break;
    default:
      candidates = [];
  }
  if (candidates.length === 0)
    return fail('no_supported_algorithm', 'allows none of the configured algorithms');
  const algorithms = intersect(candidates, allowed);
  if (algorithms.size === 0) return fail('no_allowed_algorithm', 'allows none of the configured algorithms');
  return nodeKey(undefined, algorithms, key);
}

// Raw r‖s lengths (RFC 7518 §3.4); node:crypto would accept other lengths in some versions.
const ecdsaSignatureLength: Readonly<Record<string, number>> = { ES256: 64, ES384: 96, ES512: 132 };

function nodeKey(
  kid: string | undefined,
  algorithms: ReadonlySet<JwsAlgorithm>,
  key: KeyObject,
): VerificationKey {
  const node = nodeCrypto as NonNullable<typeof nodeCrypto>;
  const { RSA_PKCS1_PSS_PADDING, RSA_PSS_SALTLEN_DIGEST } = node.constants;
  const pss = { key, padding: RSA_PKCS1_PSS_PADDING, saltLength: RSA_PSS_SALTLEN_DIGEST };
  const ecdsa = { key, dsaEncoding: 'ieee-p1363' as const };
  return {
    kid,
    algorithms,
    verify(algorithm, signingInput, signature) {
      if (!algorithms.has(algorithm)) return false;
      // Read by the synchronous node:crypto.verify below before anything else can run.
      const data = transientUtf8(signingInput);
      const digest = digestOf[algorithm];
      try {
        switch (algorithm.charCodeAt(0)) {
          // A Verify object costs less per check than the one-shot verify, which copies its
          // inputs into a crypto job; Ed25519 has no streaming form.
          case 82: // R
            return node
              .createVerify(digest as string)
              .update(data)
              .verify(key, signature);
          case 80: // P
            return node
              .createVerify(digest as string)
              .update(data)
              .verify(pss, signature);
          case 69: // E: ES… or EdDSA/Ed25519
            if (digest === null) return node.verify(null, data, key, signature);
            return (
              signature.length === ecdsaSignatureLength[algorithm] &&
              node.verify(digest, data, ecdsa, signature)
            );
          default:
            return false;
        }
      } catch {
        return false;
      }
    },
  };
}

type ImportParams = WebCryptoAlgorithm['importParams'];
type CryptoKey = webcrypto.CryptoKey;

function webKey(
  kid: string | undefined,
  algorithms: ReadonlySet<JwsAlgorithm>,
  importAs: (params: ImportParams) => Promise<CryptoKey>,
): VerificationKey {
  const imported = new Map<JwsAlgorithm, Promise<CryptoKey | undefined>>();
  const encoder = new TextEncoder();
  return {
    kid,
    algorithms,
    async verify(algorithm, signingInput, signature) {
      if (!algorithms.has(algorithm)) return false;
      const { importParams, operationParams } = webCryptoAlgorithms[algorithm];
      let key = imported.get(algorithm);
      if (key === undefined) {
        key = importAs(importParams).catch(() => undefined);
        imported.set(algorithm, key);
      }
      const cryptoKey = await key;
      if (cryptoKey === undefined) return false;
      try {
        const data = encoder.encode(signingInput);
        return await crypto.subtle.verify(
          operationParams,
          cryptoKey,
          signature as Uint8Array<ArrayBuffer>,
          data as Uint8Array<ArrayBuffer>,
        );
      } catch {
        return false;
      }
    },
  };
}
