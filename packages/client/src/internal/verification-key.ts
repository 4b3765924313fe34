import type { webcrypto } from 'node:crypto';
import { base64UrlDecode } from './base64url.ts';
import { nodeCrypto } from './node-crypto.ts';

/** JWS algorithms an act JWT may be signed with. HMAC and `none` are never among them. */
export const SUPPORTED_ALGORITHMS: readonly string[] = Object.freeze([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);

/** A public key in JWK form, with only the members that define the key. */
export interface PublicJwk {
  readonly kty: 'RSA' | 'EC' | 'OKP';
  readonly kid?: string;
  readonly alg?: string;
  readonly n?: string;
  readonly e?: string;
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
}

/** Which signature implementation checks signatures: `node:crypto` (fast) or WebCrypto (any runtime). */
export type SignatureBackend = 'node' | 'web';

/** A key that can check act-JWT signatures, with the algorithms its type allows. */
export interface VerificationKey {
  readonly kid: string | undefined;
  readonly algorithms: readonly string[];
  verify(alg: string, signingInput: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

const MINIMUM_RSA_MODULUS_BYTES = 256;

const hashOf: Readonly<Record<string, 'SHA-256' | 'SHA-384' | 'SHA-512'>> = {
  RS256: 'SHA-256',
  PS256: 'SHA-256',
  ES256: 'SHA-256',
  RS384: 'SHA-384',
  PS384: 'SHA-384',
  ES384: 'SHA-384',
  RS512: 'SHA-512',
  PS512: 'SHA-512',
  ES512: 'SHA-512',
};

const curveAlgorithm: Readonly<Record<string, string>> = {
  'P-256': 'ES256',
  'P-384': 'ES384',
  'P-521': 'ES512',
};

/**
 * The algorithms a key's type allows, so that a token cannot choose how its own signature is
 * checked (RSA keys never verify ECDSA or HMAC, and so on). A JWK `alg` narrows the set further.
 */
export function algorithmsForKey(jwk: PublicJwk): string[] {
  let algorithms: string[];
  if (jwk.kty === 'RSA') algorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
  else if (jwk.kty === 'EC') algorithms = [curveAlgorithm[jwk.crv ?? ''] ?? ''].filter(Boolean);
  else algorithms = jwk.crv === 'Ed25519' ? ['EdDSA', 'Ed25519'] : [];
  return jwk.alg === undefined ? algorithms : algorithms.filter((alg) => alg === jwk.alg);
}

/**
 * Reduces an untrusted JWK to a public verification JWK, or explains why it cannot be one
 * (symmetric, private, unsupported curve, short RSA modulus, not meant for signatures).
 */
export function toPublicJwk(input: unknown): { ok: true; jwk: PublicJwk } | { ok: false; problem: string } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, problem: 'is not a JWK object' };
  }
  const jwk = input as Record<string, unknown>;
  const text = (name: string) => (typeof jwk[name] === 'string' ? (jwk[name] as string) : undefined);
  if (jwk.kty === 'oct') return { ok: false, problem: 'is a symmetric key; only public keys are accepted' };
  if (jwk.d !== undefined || jwk.p !== undefined || jwk.k !== undefined) {
    return { ok: false, problem: 'holds private key material; give the public key only' };
  }
  if (jwk.use !== undefined && jwk.use !== 'sig') return { ok: false, problem: 'is not a signature key' };
  if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('verify')) {
    return { ok: false, problem: 'is not allowed to verify' };
  }
  const kid = text('kid');
  const alg = text('alg');
  const common = { ...(kid === undefined ? {} : { kid }), ...(alg === undefined ? {} : { alg }) };
  let result: PublicJwk;
  if (jwk.kty === 'RSA') {
    const n = text('n');
    const e = text('e');
    if (n === undefined || e === undefined) return { ok: false, problem: 'lacks n or e' };
    const modulus = base64UrlDecode(n);
    if (modulus === undefined || modulus.length < MINIMUM_RSA_MODULUS_BYTES) {
      return { ok: false, problem: 'is an RSA key shorter than 2048 bits' };
    }
    result = { kty: 'RSA', n, e, ...common };
  } else if (jwk.kty === 'EC') {
    const crv = text('crv');
    const x = text('x');
    const y = text('y');
    if (crv === undefined || x === undefined || y === undefined)
      return { ok: false, problem: 'lacks crv, x or y' };
    result = { kty: 'EC', crv, x, y, ...common };
  } else if (jwk.kty === 'OKP') {
    const crv = text('crv');
    const x = text('x');
    if (crv === undefined || x === undefined) return { ok: false, problem: 'lacks crv or x' };
    result = { kty: 'OKP', crv, x, ...common };
  } else {
    return { ok: false, problem: 'has an unsupported key type' };
  }
  if (algorithmsForKey(result).length === 0)
    return { ok: false, problem: 'has no algorithm dual-auth accepts' };
  return { ok: true, jwk: result };
}

/**
 * A {@link VerificationKey} over `jwk`, limited to `allowedAlgorithms`. The `node` backend uses
 * `node:crypto` (several times faster than WebCrypto in Node); `web` runs on any runtime. Both accept
 * exactly the same signatures.
 */
export function createVerificationKey(
  jwk: PublicJwk,
  allowedAlgorithms: readonly string[],
  backend: SignatureBackend,
): VerificationKey {
  const algorithms = algorithmsForKey(jwk).filter((alg) => allowedAlgorithms.includes(alg));
  const keyMaterial: Record<string, string> = { kty: jwk.kty };
  for (const member of ['n', 'e', 'crv', 'x', 'y'] as const) {
    const value = jwk[member];
    if (value !== undefined) keyMaterial[member] = value;
  }
  const verify =
    backend === 'node'
      ? nodeVerifier(keyMaterial)
      : webVerifier(keyMaterial as unknown as webcrypto.JsonWebKey);
  return Object.freeze({ kid: jwk.kid, algorithms: Object.freeze(algorithms), verify });
}

function nodeVerifier(jwk: Record<string, string>): VerificationKey['verify'] {
  const crypto = nodeCrypto();
  if (crypto === undefined) throw new TypeError('node:crypto is not available in this runtime');
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  return async (alg, signingInput, signature) => {
    try {
      if (alg === 'EdDSA' || alg === 'Ed25519') return crypto.verify(null, signingInput, key, signature);
      const hash = hashOf[alg];
      if (hash === undefined) return false;
      const digest = hash.replace('-', '').toLowerCase();
      if (alg.startsWith('RS')) return crypto.verify(digest, signingInput, key, signature);
      if (alg.startsWith('PS')) {
        return crypto.verify(
          digest,
          signingInput,
          { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: saltLength(hash) },
          signature,
        );
      }
      return crypto.verify(digest, signingInput, { key, dsaEncoding: 'ieee-p1363' }, signature);
    } catch {
      return false;
    }
  };
}

function saltLength(hash: 'SHA-256' | 'SHA-384' | 'SHA-512'): number {
  return Number(hash.slice(4)) / 8;
}

function webVerifier(jwk: webcrypto.JsonWebKey): VerificationKey['verify'] {
  const imported = new Map<string, Promise<webcrypto.CryptoKey>>();
  const importFor = (alg: string): Promise<webcrypto.CryptoKey> => {
    let key = imported.get(alg);
    if (key === undefined) {
      key = crypto.subtle.importKey('jwk', jwk, importParameters(alg, jwk), false, ['verify']);
      imported.set(alg, key);
    }
    return key;
  };
  return async (alg, signingInput, signature) => {
    try {
      const key = await importFor(alg);
      return await crypto.subtle.verify(verifyParameters(alg), key, signature, signingInput);
    } catch {
      return false;
    }
  };
}

function importParameters(
  alg: string,
  jwk: webcrypto.JsonWebKey,
): webcrypto.AlgorithmIdentifier | webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams {
  const hash = hashOf[alg];
  if (alg.startsWith('RS') && hash) return { name: 'RSASSA-PKCS1-v1_5', hash };
  if (alg.startsWith('PS') && hash) return { name: 'RSA-PSS', hash };
  if (alg.startsWith('ES')) return { name: 'ECDSA', namedCurve: jwk.crv ?? '' };
  return { name: 'Ed25519' };
}

function verifyParameters(
  alg: string,
): webcrypto.AlgorithmIdentifier | webcrypto.RsaPssParams | webcrypto.EcdsaParams {
  const hash = hashOf[alg];
  if (alg.startsWith('RS')) return { name: 'RSASSA-PKCS1-v1_5' };
  if (alg.startsWith('PS') && hash) return { name: 'RSA-PSS', saltLength: saltLength(hash) };
  if (alg.startsWith('ES') && hash) return { name: 'ECDSA', hash };
  return { name: 'Ed25519' };
}
