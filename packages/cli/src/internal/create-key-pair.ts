import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

/** The application key algorithms keygen offers. */
export const keygenAlgorithms = ['EdDSA', 'ES256', 'RS256'] as const;

/** One of {@link keygenAlgorithms}. */
export type KeygenAlgorithm = (typeof keygenAlgorithms)[number];

const generate = promisify(generateKeyPair);

/** A fresh key pair: Ed25519, P-256, or RSA of `bits` bits. */
export async function createKeyPair(
  alg: KeygenAlgorithm,
  bits = 2048,
): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  switch (alg) {
    case 'EdDSA':
      return generate('ed25519');
    case 'ES256':
      return generate('ec', { namedCurve: 'P-256' });
    case 'RS256':
      return generate('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  }
}
