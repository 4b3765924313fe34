import { constants, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type JwsAlgorithm, SUPPORTED_JWS_ALGORITHMS } from './jws-algorithm.ts';
import { importVerificationKey, isKeyImportFailure, type VerificationKey } from './verification-key.ts';

const all = new Set(SUPPORTED_JWS_ALGORITHMS);
const input = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0';
const data = Buffer.from(input);

const pairs = {
  RSA: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  P256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  P384: generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  P521: generateKeyPairSync('ec', { namedCurve: 'P-521' }),
  Ed25519: generateKeyPairSync('ed25519'),
};

const digest = (algorithm: JwsAlgorithm) => `sha${algorithm.slice(2)}`;

function signatureFor(algorithm: JwsAlgorithm, privateKey: KeyObject): Uint8Array {
  if (algorithm.startsWith('RS')) return sign(digest(algorithm), data, privateKey);
  if (algorithm.startsWith('PS')) {
    return sign(digest(algorithm), data, {
      key: privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    });
  }
  if (algorithm.startsWith('ES'))
    return sign(digest(algorithm), data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return sign(null, data, privateKey);
}

const cases: [JwsAlgorithm, keyof typeof pairs][] = [
  ['RS256', 'RSA'],
  ['RS384', 'RSA'],
  ['RS512', 'RSA'],
  ['PS256', 'RSA'],
  ['PS384', 'RSA'],
  ['PS512', 'RSA'],
  ['ES256', 'P256'],
  ['ES384', 'P384'],
  ['ES512', 'P521'],
  ['EdDSA', 'Ed25519'],
  ['Ed25519', 'Ed25519'],
];

function imported(material: unknown, runtime: 'node' | 'webcrypto', allowed = all): VerificationKey {
  const key = importVerificationKey(material as never, allowed, runtime);
  if (isKeyImportFailure(key)) throw new Error(key.message);
  return key;
}

describe.each(['node', 'webcrypto'] as const)('verification keys on the %s path', (runtime) => {
  it.each(cases)(
    '%s: verifies a good signature, refuses a bad one and other algorithms',
    async (algorithm, pair) => {
      const publicKey = createPublicKey(pairs[pair].privateKey);
      for (const material of [
        publicKey.export({ format: 'jwk' }),
        publicKey.export({ format: 'pem', type: 'spki' }),
        ...(runtime === 'node' ? [publicKey] : []),
      ]) {
        const key = imported(material, runtime);
        const signature = signatureFor(algorithm, pairs[pair].privateKey);
        expect(await key.verify(algorithm, input, signature)).toBe(true);
        const tampered = Uint8Array.from(signature);
        tampered[5] = (tampered[5] ?? 0) ^ 1;
        expect(await key.verify(algorithm, input, tampered)).toBe(false);
        expect(await key.verify(algorithm, `${input}x`, signature)).toBe(false);
        const other: JwsAlgorithm = algorithm === 'ES256' ? 'ES384' : 'ES256';
        expect(await key.verify(other, input, signature)).toBe(false);
      }
    },
  );

  it('binds each key type to its algorithms, narrowed by the JWK alg and the allow-list', () => {
    const rsa = createPublicKey(pairs.RSA.privateKey).export({ format: 'jwk' });
    expect([...imported(rsa, runtime).algorithms]).toEqual([
      'RS256',
      'RS384',
      'RS512',
      'PS256',
      'PS384',
      'PS512',
    ]);
    expect([...imported({ ...rsa, alg: 'PS384' }, runtime).algorithms]).toEqual(['PS384']);
    expect([...imported(rsa, runtime, new Set(['RS256', 'ES256'])).algorithms]).toEqual(['RS256']);
    const ec = createPublicKey(pairs.P521.privateKey).export({ format: 'jwk' });
    expect([...imported(ec, runtime).algorithms]).toEqual(['ES512']);
  });

  it('refuses private, symmetric, small and unsupported keys, each with its reason', () => {
    const problem = (material: unknown, allowed = all) => {
      const key = importVerificationKey(material as never, allowed, runtime);
      return isKeyImportFailure(key) ? [key.problem, key.message] : 'accepted';
    };
    expect(problem(pairs.P256.privateKey.export({ format: 'jwk' }))).toEqual([
      'private_key',
      'is a private or symmetric key',
    ]);
    expect(problem({ kty: 'oct', k: 'c2VjcmV0' })).toEqual([
      'symmetric_key',
      'is a private or symmetric key',
    ]);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(problem(small.export({ format: 'jwk' }))).toEqual([
      'rsa_too_short',
      'is an RSA key under 2048 bits',
    ]);
    expect(problem({ kty: 'EC', crv: 'secp256k1', x: 'AA', y: 'AA' })).toEqual([
      'no_supported_algorithm',
      'allows none of the configured algorithms',
    ]);
    const p256 = createPublicKey(pairs.P256.privateKey).export({ format: 'jwk' });
    expect(problem(p256, new Set(['RS256']))).toEqual([
      'no_allowed_algorithm',
      'allows none of the configured algorithms',
    ]);
    expect(problem({ ...p256, use: 'enc' })[0]).toBe('not_for_signatures');
    expect(problem({ ...p256, key_ops: ['encrypt'] })[0]).toBe('verify_not_allowed');
    expect(problem({ ...p256, kid: 7 })[0]).toBe('malformed_kid');
    expect(problem({ kty: 'EC', crv: 'P-256' })[0]).toBe('missing_members');
    expect(problem({ kty: 'RSA', n: 'A+B', e: 'AQAB' })[0]).toBe('malformed_modulus');
    expect(problem({ kty: 'XYZ' })[0]).toBe('unsupported_key_type');
    expect(problem(pairs.P256.privateKey.export({ format: 'pem', type: 'pkcs8' }))[0]).toBe('private_key');
    expect(problem(42)[0]).toBe('not_a_key');
    if (runtime === 'node') {
      expect(problem(pairs.P256.privateKey)[0]).toBe('private_key');
      expect(problem({ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' })[0]).toBe('invalid_key');
    }
  });
});
