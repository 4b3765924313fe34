import type { webcrypto } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import { ConfigurationError } from '@dual-auth/core';
import { signCompactJws } from '@dual-auth/core/jose';
import { calculateJwkThumbprint, compactVerify, importJWK, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { keyKinds, pkcs8Pem, privateKeyOf } from '../../test/keys.ts';
import { loadSigningKey, loadVerificationKey, type SigningKey } from './load-signing-key.ts';

const node = { setting: 'privateKey', nodeCrypto };
const web = { setting: 'privateKey', nodeCrypto: undefined };
type CryptoKeyPair = webcrypto.CryptoKeyPair;

// Typed by hand: the WebCrypto typings return CryptoKey | CryptoKeyPair for Ed25519.
async function ed25519Pair(extractable: boolean): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey({ name: 'Ed25519' }, extractable, [
    'sign',
    'verify',
  ])) as unknown as CryptoKeyPair;
}

const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

async function expectVerifies(key: SigningKey): Promise<void> {
  const jws = await signCompactJws(
    { alg: key.algorithm, typ: 'act+jwt', kid: key.keyId },
    { sub: 'u-1' },
    key.sign,
  );
  const publicKey = await importJWK(key.publicJwk as JWK, key.algorithm);
  const { protectedHeader } = await compactVerify(jws, publicKey, { algorithms: [key.algorithm] });
  expect(protectedHeader).toEqual({ alg: key.algorithm, typ: 'act+jwt', kid: key.keyId });
}

async function expectRefused(
  promise: Promise<unknown>,
  problem: RegExp,
  setting = 'privateKey',
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigurationError);
  expect(error).toMatchObject({ code: 'ERR_CONFIGURATION', setting });
  expect((error as Error).message).toMatch(problem);
}

describe('loadSigningKey: formats and algorithms', () => {
  for (const { kind, algorithm } of keyKinds) {
    it(`PKCS#8 PEM ${kind} → ${algorithm}, kid = RFC 7638 thumbprint, public members only`, async () => {
      const key = await loadSigningKey(pkcs8Pem(kind), node);
      expect(key.algorithm).toBe(algorithm);
      const publicJwk = nodeCrypto.createPublicKey(privateKeyOf(kind)).export({ format: 'jwk' }) as JWK;
      expect(key.keyId).toBe(await calculateJwkThumbprint(publicJwk, 'sha256'));
      expect(key.publicJwk).toEqual({ ...publicJwk, kid: key.keyId, alg: algorithm, use: 'sig' });
      for (const member of privateMembers) expect(key.publicJwk).not.toHaveProperty(member);
      await expectVerifies(key);
    });

    it(`private JWK ${kind} → ${algorithm}, on node:crypto and on WebCrypto alone`, async () => {
      const jwk = privateKeyOf(kind).export({ format: 'jwk' }) as JWK;
      const viaNode = await loadSigningKey(jwk, node);
      const viaWeb = await loadSigningKey(jwk, web);
      expect(viaWeb.algorithm).toBe(algorithm);
      expect(viaWeb.publicJwk).toEqual(viaNode.publicJwk);
      for (const member of privateMembers) expect(viaWeb.publicJwk).not.toHaveProperty(member);
      await expectVerifies(viaNode);
      await expectVerifies(viaWeb);
    });

    it(`JWK text ${kind} (a key file holding JSON) → ${algorithm}`, async () => {
      const jwk = privateKeyOf(kind).export({ format: 'jwk' });
      const key = await loadSigningKey(`\n${JSON.stringify(jwk)}\n`, node);
      expect(key.algorithm).toBe(algorithm);
      await expectVerifies(key);
    });
  }

  it('PKCS#1 RSA PEM ("BEGIN RSA PRIVATE KEY") → RS256, same kid as its PKCS#8 form', async () => {
    const pkcs1 = privateKeyOf('rsa').export({ format: 'pem', type: 'pkcs1' }) as string;
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    const key = await loadSigningKey(pkcs1, node);
    expect(key.algorithm).toBe('RS256');
    expect(key.keyId).toBe((await loadSigningKey(pkcs8Pem('rsa'), node)).keyId);
    await expectVerifies(key);
  });

  for (const kind of ['p256', 'p384'] as const) {
    it(`SEC1 EC PEM ("BEGIN EC PRIVATE KEY") ${kind}`, async () => {
      const sec1 = privateKeyOf(kind).export({ format: 'pem', type: 'sec1' }) as string;
      expect(sec1).toContain('BEGIN EC PRIVATE KEY');
      const key = await loadSigningKey(sec1, node);
      expect(key.algorithm).toBe(kind === 'p256' ? 'ES256' : 'ES384');
      await expectVerifies(key);
    });
  }

  it('extractable CryptoKey (fast path through KeyObject) and non-extractable CryptoKeyPair (WebCrypto)', async () => {
    const extractable = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    await expectVerifies(await loadSigningKey(extractable.privateKey, node));
    await expectVerifies(await loadSigningKey(extractable.privateKey, web));
    const sealed = await ed25519Pair(false);
    const key = await loadSigningKey(sealed as CryptoKeyPair, node);
    expect(key.algorithm).toBe('EdDSA');
    await expectVerifies(key);
  });

  it('RSASSA-PKCS1-v1_5 CryptoKey → RS256', async () => {
    const pair = await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      false,
      ['sign', 'verify'],
    );
    await expectVerifies(await loadSigningKey(pair, web));
  });

  it('keyId option wins over the JWK kid, which wins over the thumbprint', async () => {
    const jwk = { ...(privateKeyOf('p256').export({ format: 'jwk' }) as JWK), kid: 'from-jwk' };
    expect((await loadSigningKey(jwk, node)).keyId).toBe('from-jwk');
    expect((await loadSigningKey(jwk, { ...node, keyId: 'from-option' })).keyId).toBe('from-option');
  });
});

describe('loadSigningKey: refusals (ConfigurationError naming the setting, never the content)', () => {
  it('refuses RSA below 2048 bits, as PEM, JWK (both paths) and CryptoKey', async () => {
    const weakPem = pkcs8Pem('rsa1024');
    const weakJwk = privateKeyOf('rsa1024').export({ format: 'jwk' }) as JWK;
    await expectRefused(loadSigningKey(weakPem, node), /shorter than 2048 bits/);
    await expectRefused(loadSigningKey(weakJwk, node), /shorter than 2048 bits/);
    await expectRefused(loadSigningKey(weakJwk, web), /shorter than 2048 bits/);
  });

  it('refuses encrypted PEM (PKCS#8 and legacy PKCS#1) with how to fix it', async () => {
    const options = { format: 'pem', cipher: 'aes-256-cbc', passphrase: 'canary-passphrase' } as const;
    const encrypted = privateKeyOf('p256').export({ ...options, type: 'pkcs8' }) as string;
    const legacy = privateKeyOf('rsa').export({ ...options, type: 'pkcs1' }) as string;
    await expectRefused(loadSigningKey(encrypted, node), /encrypted private key.*openssl pkey/);
    await expectRefused(loadSigningKey(legacy, node), /encrypted private key/);
  });

  it('refuses a public key or certificate given as the private key', async () => {
    const publicPem = nodeCrypto
      .createPublicKey(privateKeyOf('p256'))
      .export({ format: 'pem', type: 'spki' });
    const publicJwk = nodeCrypto.createPublicKey(privateKeyOf('p256')).export({ format: 'jwk' }) as JWK;
    await expectRefused(loadSigningKey(publicPem as string, node), /is a public key or certificate/);
    await expectRefused(loadSigningKey(publicJwk, node), /is a public JWK/);
    const pair = await ed25519Pair(true);
    await expectRefused(loadSigningKey((pair as CryptoKeyPair).publicKey, node), /is a public CryptoKey/);
  });

  it('refuses garbage, truncated PEM, unsupported curves and key types', async () => {
    await expectRefused(
      loadSigningKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', node),
      /could not be parsed/,
    );
    await expectRefused(loadSigningKey(pkcs8Pem('p256').slice(0, 120), node), /could not be parsed/);
    await expectRefused(loadSigningKey('not a key at all', node), /is not a PEM private key/);
    await expectRefused(loadSigningKey('{"kty":', node), /not a JSON JWK/);
    await expectRefused(loadSigningKey('{"x":1}', node), /not a JWK/);
    await expectRefused(loadSigningKey(pkcs8Pem('p521'), node), /curve other than P-256 or P-384/);
    await expectRefused(loadSigningKey(pkcs8Pem('ed448'), node), /not an RSA, EC/);
    await expectRefused(loadSigningKey('x'.repeat(70_000), node), /longer than/);
  });

  it('refuses PEM where node:crypto is missing, a JWK whose alg disagrees, and a mismatched pair', async () => {
    await expectRefused(loadSigningKey(pkcs8Pem('p256'), web), /needs node:crypto/);
    const jwk = { ...(privateKeyOf('p256').export({ format: 'jwk' }) as JWK), alg: 'ES384' };
    await expectRefused(loadSigningKey(jwk, node), /declares alg ES384/);
    const one = await ed25519Pair(false);
    const two = await ed25519Pair(false);
    const mixed = {
      privateKey: (one as CryptoKeyPair).privateKey,
      publicKey: (two as CryptoKeyPair).publicKey,
    };
    await expectRefused(loadSigningKey(mixed, node), /does not match/);
    await expectRefused(loadSigningKey((one as CryptoKeyPair).privateKey, node), /not extractable/);
  });

  it('refuses a private JWK that WebCrypto cannot import, on WebCrypto alone', async () => {
    const jwk = privateKeyOf('p256').export({ format: 'jwk' }) as JWK;
    await expectRefused(loadSigningKey({ ...jwk, d: 'AAAA' }, web), /is not a valid ES256 private JWK/);
    await expectRefused(
      loadSigningKey({ ...jwk, x: jwk.y as string }, web),
      /is not a valid ES256 private JWK/,
    );
  });

  it('never echoes the key in the error', async () => {
    const pem = pkcs8Pem('p256');
    const body = pem.split('\n')[1] ?? '';
    const error = await loadSigningKey(pem.replace('BEGIN PRIVATE KEY', 'BEGIN PUBLIC KEY'), node).catch(
      (caught: unknown) => caught as Error,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(`${(error as Error).message}${(error as Error).stack}`).not.toContain(body.slice(0, 20));
  });
});

describe('loadVerificationKey', () => {
  it('takes SPKI PEM, public JWK (both paths), private keys (keeping the public half) and public CryptoKeys', async () => {
    const signing = await loadSigningKey(pkcs8Pem('ed25519'), node);
    const spki = nodeCrypto.createPublicKey(privateKeyOf('ed25519')).export({ format: 'pem', type: 'spki' });
    const publicJwk = signing.publicJwk as JWK;
    const fromSpki = await loadVerificationKey(spki as string, node);
    expect(fromSpki.publicJwk).toEqual(signing.publicJwk);
    expect(
      (await loadVerificationKey({ kty: 'OKP', crv: 'Ed25519', x: publicJwk.x ?? '' }, web)).publicJwk,
    ).toEqual(signing.publicJwk);
    expect((await loadVerificationKey(pkcs8Pem('ed25519'), node)).publicJwk).toEqual(signing.publicJwk);
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, [
      'sign',
      'verify',
    ]);
    expect((await loadVerificationKey((pair as CryptoKeyPair).publicKey, node)).algorithm).toBe('ES384');
  });

  it('refuses weak RSA public keys too', async () => {
    const spki = nodeCrypto.createPublicKey(privateKeyOf('rsa1024')).export({ format: 'pem', type: 'spki' });
    await expectRefused(
      loadVerificationKey(spki as string, { ...node, setting: 'verificationKeys[0]' }),
      /2048/,
      'verificationKeys[0]',
    );
  });
});
