import type { JsonWebKey, KeyObject, webcrypto } from 'node:crypto';
import { decodeBase64Url, decodeStrictBase64Url } from './base64url.ts';
import { nodeCrypto } from './runtime.ts';

/**
 * The JWS algorithms the verifier can check: asymmetric only, each bound to one key type.
 *
 * @example
 * ```ts
 * createVerifier({ ...options, algorithms: ['ES256'] satisfies JwsAlgorithm[] });
 * ```
 */
export type JwsAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'EdDSA' | 'Ed25519';

/** Every algorithm the verifier supports; `none` and the HMAC family are never among them. */
export const supportedAlgorithms: readonly JwsAlgorithm[] = Object.freeze([
  'RS256',
  'PS256',
  'ES256',
  'ES384',
  'EdDSA',
  'Ed25519',
]);

/** One public key, usable only with the algorithms its type allows. */
export interface VerificationKey {
  readonly kid: string | undefined;
  readonly algorithms: ReadonlySet<JwsAlgorithm>;
  /**
   * Checks `signature` over the ASCII `signingInput`; sync on Node, async on WebCrypto.
   * `signingBytes`, when given, are its bytes already encoded (it is then all ASCII).
   */
  verify(
    algorithm: JwsAlgorithm,
    signingInput: string,
    signature: Uint8Array,
    signingBytes?: Uint8Array,
  ): boolean | Promise<boolean>;
}

/**
 * Public key material a caller may configure.
 *
 * @example
 * ```ts
 * createVerifier({ ...options, keys: readFileSync('idp-public.pem', 'utf8') });
 * ```
 */
export type PublicKeyInput = JsonWebKey | string | KeyObject;

const minimumRsaBits = 2048;

/**
 * Turns a JWK, a PEM public key or a Node `KeyObject` into a {@link VerificationKey}. Returns a
 * string naming the problem when the key is unusable (private, symmetric, too small, unknown type).
 */
export function importVerificationKey(
  input: PublicKeyInput,
  allowed: ReadonlySet<JwsAlgorithm>,
  runtime: 'node' | 'webcrypto' = nodeCrypto === undefined ? 'webcrypto' : 'node',
): VerificationKey | string {
  const node = runtime === 'node';
  if (typeof input === 'string') return importPem(input, allowed, node);
  if (isJwk(input)) return importJwk(input, allowed, node);
  if (nodeCrypto !== undefined && (input as unknown) instanceof nodeCrypto.KeyObject) {
    return importKeyObject(input as KeyObject, allowed);
  }
  return 'is not a JWK, a PEM public key or a KeyObject';
}

function isJwk(input: unknown): input is JsonWebKey & { kid?: unknown; use?: unknown } {
  return typeof input === 'object' && input !== null && typeof (input as { kty?: unknown }).kty === 'string';
}

function intersect(candidates: readonly JwsAlgorithm[], allowed: ReadonlySet<JwsAlgorithm>) {
  return new Set(candidates.filter((algorithm) => allowed.has(algorithm)));
}

function importJwk(
  jwk: JsonWebKey & { kid?: unknown; use?: unknown },
  allowed: ReadonlySet<JwsAlgorithm>,
  node: boolean,
) {
  if ('d' in jwk || 'k' in jwk) return 'is a private or symmetric key';
  if (jwk.use !== undefined && jwk.use !== 'sig') return 'is not a signing key (use)';
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) {
    return 'does not allow verify (key_ops)';
  }
  const kid = jwk.kid === undefined ? undefined : typeof jwk.kid === 'string' ? jwk.kid : null;
  if (kid === null) return 'has a kid that is not a string';
  let candidates: JwsAlgorithm[];
  if (jwk.kty === 'RSA') {
    if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') return 'is an RSA key without n or e';
    const modulus = decodeStrictBase64Url(jwk.n);
    if (modulus === undefined) return 'is an RSA key with a malformed modulus';
    if (modulus.length * 8 < minimumRsaBits) return 'is an RSA key under 2048 bits';
    candidates = ['RS256', 'PS256'];
  } else if (jwk.kty === 'EC') {
    candidates = jwk.crv === 'P-256' ? ['ES256'] : jwk.crv === 'P-384' ? ['ES384'] : [];
  } else if (jwk.kty === 'OKP') {
    candidates = jwk.crv === 'Ed25519' ? ['EdDSA', 'Ed25519'] : [];
  } else {
    return `has an unsupported key type ${jwk.kty === 'oct' ? '(symmetric)' : ''}`.trim();
  }
  if (jwk.alg !== undefined) candidates = candidates.filter((algorithm) => algorithm === jwk.alg);
  const algorithms = intersect(candidates, allowed);
  if (algorithms.size === 0) return 'allows none of the configured algorithms';
  const { alg: _alg, use: _use, key_ops: _ops, ext: _ext, ...material } = jwk;
  if (node && nodeCrypto !== undefined) {
    try {
      const key = nodeCrypto.createPublicKey({ key: material as never, format: 'jwk' });
      return nodeKey(kid, algorithms, key);
    } catch {
      return 'is not a valid public key';
    }
  }
  return webKey(kid, algorithms, (params) =>
    crypto.subtle.importKey('jwk', material, params, false, ['verify']),
  );
}

function importPem(pem: string, allowed: ReadonlySet<JwsAlgorithm>, node: boolean): VerificationKey | string {
  if (/PRIVATE KEY/.test(pem)) return 'is a private key; configure the public key';
  if (node && nodeCrypto !== undefined) {
    try {
      return importKeyObject(nodeCrypto.createPublicKey(pem), allowed);
    } catch {
      return 'is not a valid PEM public key';
    }
  }
  const body = /-----BEGIN PUBLIC KEY-----([\s\S]+?)-----END PUBLIC KEY-----/.exec(pem)?.[1];
  if (body === undefined) return 'is not a PEM "PUBLIC KEY" (SPKI)';
  let der: Uint8Array;
  try {
    der = decodeBase64Url(
      body.replace(/\s+/g, '').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
    );
  } catch {
    return 'is not a valid PEM public key';
  }
  // On WebCrypto the key type is learned by importing per algorithm: an import that fails means
  // the algorithm does not fit the key, and the token is refused.
  return webKey(undefined, new Set(allowed), (params) =>
    crypto.subtle.importKey('spki', der, params, false, ['verify']),
  );
}

function importKeyObject(key: KeyObject, allowed: ReadonlySet<JwsAlgorithm>): VerificationKey | string {
  if (key.type !== 'public') return `is a ${key.type} key; configure the public key`;
  const details = key.asymmetricKeyDetails ?? {};
  let candidates: JwsAlgorithm[];
  switch (key.asymmetricKeyType) {
    case 'rsa':
      if ((details.modulusLength ?? 0) < minimumRsaBits) return 'is an RSA key under 2048 bits';
      candidates = ['RS256', 'PS256'];
      break;
    case 'rsa-pss':
      if ((details.modulusLength ?? 0) < minimumRsaBits) return 'is an RSA key under 2048 bits';
      candidates = ['PS256'];
      break;
    case 'ec':
      candidates =
        details.namedCurve === 'prime256v1' ? ['ES256'] : details.namedCurve === 'secp384r1' ? ['ES384'] : [];
      break;
    case 'ed25519':
      candidates = ['EdDSA', 'Ed25519'];
      break;
    default:
      candidates = [];
  }
  const algorithms = intersect(candidates, allowed);
  if (algorithms.size === 0) return 'allows none of the configured algorithms';
  return nodeKey(undefined, algorithms, key);
}

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
    verify(algorithm, signingInput, signature, signingBytes) {
      if (!algorithms.has(algorithm)) return false;
      // For ASCII text the given UTF-8 bytes are exactly its Latin-1 bytes.
      const data = signingBytes ?? Buffer.from(signingInput, 'latin1');
      try {
        switch (algorithm) {
          case 'RS256':
            return node.verify('sha256', data, key, signature);
          case 'PS256':
            return node.verify('sha256', data, pss, signature);
          case 'ES256':
            return signature.length === 64 && node.verify('sha256', data, ecdsa, signature);
          case 'ES384':
            return signature.length === 96 && node.verify('sha384', data, ecdsa, signature);
          default:
            return node.verify(null, data, key, signature);
        }
      } catch {
        return false;
      }
    },
  };
}

type ImportParams = webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm;
type CryptoKey = webcrypto.CryptoKey;

const webAlgorithms: Readonly<
  Record<
    JwsAlgorithm,
    {
      readonly importParams: ImportParams;
      readonly verifyParams: webcrypto.AlgorithmIdentifier | webcrypto.RsaPssParams | webcrypto.EcdsaParams;
    }
  >
> = {
  RS256: {
    importParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    verifyParams: { name: 'RSASSA-PKCS1-v1_5' },
  },
  PS256: {
    importParams: { name: 'RSA-PSS', hash: 'SHA-256' },
    verifyParams: { name: 'RSA-PSS', saltLength: 32 },
  },
  ES256: {
    importParams: { name: 'ECDSA', namedCurve: 'P-256' },
    verifyParams: { name: 'ECDSA', hash: 'SHA-256' },
  },
  ES384: {
    importParams: { name: 'ECDSA', namedCurve: 'P-384' },
    verifyParams: { name: 'ECDSA', hash: 'SHA-384' },
  },
  EdDSA: { importParams: { name: 'Ed25519' }, verifyParams: { name: 'Ed25519' } },
  Ed25519: { importParams: { name: 'Ed25519' }, verifyParams: { name: 'Ed25519' } },
};

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
    async verify(algorithm, signingInput, signature, signingBytes) {
      if (!algorithms.has(algorithm)) return false;
      const { importParams, verifyParams } = webAlgorithms[algorithm];
      let key = imported.get(algorithm);
      if (key === undefined) {
        key = importAs(importParams).catch(() => undefined);
        imported.set(algorithm, key);
      }
      const cryptoKey = await key;
      if (cryptoKey === undefined) return false;
      try {
        const data = signingBytes ?? encoder.encode(signingInput);
        return await crypto.subtle.verify(verifyParams, cryptoKey, signature, data);
      } catch {
        return false;
      }
    },
  };
}
