import { constants, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importVerificationKey, type JwsAlgorithm, supportedAlgorithms } from './verification-key.ts';

const all = new Set(supportedAlgorithms);
const input = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0';
const data = Buffer.from(input);

const pairs = {
  RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  ES384: generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  EdDSA: generateKeyPairSync('ed25519'),
};

function signatureFor(algorithm: JwsAlgorithm): Uint8Array {
  if (algorithm === 'RS256') return sign('sha256', data, pairs.RS256.privateKey);
  if (algorithm === 'PS256') {
    return sign('sha256', data, {
      key: pairs.RS256.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    });
  }
  if (algorithm === 'ES256')
    return sign('sha256', data, { key: pairs.ES256.privateKey, dsaEncoding: 'ieee-p1363' });
  if (algorithm === 'ES384')
    return sign('sha384', data, { key: pairs.ES384.privateKey, dsaEncoding: 'ieee-p1363' });
  return sign(null, data, pairs.EdDSA.privateKey);
}

const cases: [JwsAlgorithm, keyof typeof pairs][] = [
  ['RS256', 'RS256'],
  ['PS256', 'RS256'],
  ['ES256', 'ES256'],
  ['ES384', 'ES384'],
  ['EdDSA', 'EdDSA'],
];

describe.each(['node', 'webcrypto'] as const)('verification keys on the %s path', (runtime) => {
  it.each(cases)(
    '%s: verifies a good signature, refuses a bad one and other algorithms',
    async (algorithm, pair) => {
      const publicKey = createPublicKey(pairs[pair].privateKey);
      for (const material of [
        publicKey.export({ format: 'jwk' }),
        publicKey.export({ format: 'pem', type: 'spki' }),
      ]) {
        const key = importVerificationKey(material as never, all, runtime);
        if (typeof key === 'string') throw new Error(key);
        const signature = signatureFor(algorithm);
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

  it('refuses private, symmetric, small and unsupported keys', () => {
    expect(
      importVerificationKey(pairs.ES256.privateKey.export({ format: 'jwk' }) as never, all, runtime),
    ).toBe('is a private or symmetric key');
    expect(importVerificationKey({ kty: 'oct', k: 'c2VjcmV0' } as never, all, runtime)).toBe(
      'is a private or symmetric key',
    );
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    expect(importVerificationKey(small as never, all, runtime)).toBe('is an RSA key under 2048 bits');
    expect(
      importVerificationKey({ kty: 'EC', crv: 'secp256k1', x: 'AA', y: 'AA' } as never, all, runtime),
    ).toBe('allows none of the configured algorithms');
  });
});
