import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { testTls } from '@dual-auth/testkit';
import { describe, expect, it } from 'vitest';
import { publicJwkFromPem, publicJwkFromPemWithWebCrypto } from './load-public-key.ts';

const fail = (problem: string) => new TypeError(problem);

describe('public key loading', () => {
  it.each([
    ['RSA', generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey],
    ['P-256', generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey],
    ['P-384', generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey],
    ['Ed25519', generateKeyPairSync('ed25519').publicKey],
  ])('reads a %s PEM the same way through node:crypto and WebCrypto', async (_label, publicKey) => {
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const viaNode = await publicJwkFromPem(pem, fail);
    const viaWeb = await publicJwkFromPemWithWebCrypto(pem, fail);
    expect(viaWeb).toEqual(viaNode);
    expect(viaNode).toEqual(publicKey.export({ format: 'jwk' }));
  });

  it('reads the public key of an X.509 certificate through both paths', async () => {
    const { cert } = testTls();
    const viaWeb = await publicJwkFromPemWithWebCrypto(cert, fail);
    expect(viaWeb).toEqual(await publicJwkFromPem(cert, fail));
    expect(viaWeb.kty).toBe('EC');
  });

  it.each(['rsa', 'ed25519'])(
    'reads the public key of an %s certificate through both paths',
    async (kind) => {
      const cert = readFileSync(
        new URL(`../../../core/test/fixtures/${kind}-certificate.pem`, import.meta.url),
        'utf8',
      );
      const viaWeb = await publicJwkFromPemWithWebCrypto(cert, fail);
      expect(viaWeb).toEqual(await publicJwkFromPem(cert, fail));
      expect(viaWeb.kty).toBe(kind === 'rsa' ? 'RSA' : 'OKP');
    },
  );

  it('refuses a short RSA key and garbage through both paths', async () => {
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ format: 'pem', type: 'spki' })
      .toString();
    for (const load of [publicJwkFromPem, publicJwkFromPemWithWebCrypto]) {
      await expect(load(short, fail)).rejects.toThrow('shorter than 2048 bits');
      await expect(load('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', fail)).rejects.toThrow(
        TypeError,
      );
    }
  });
});
