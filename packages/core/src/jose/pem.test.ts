import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodePem, subjectPublicKeyInfoOf } from './pem.ts';

const fixture = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const certificates = {
  'RSA (openssl req -x509)': fixture('../../test/fixtures/rsa-certificate.pem'),
  'Ed25519 (openssl req -x509)': fixture('../../test/fixtures/ed25519-certificate.pem'),
  'EC P-256 (the testkit CA)': fixture('../../../testkit/fixtures/tls/ca.pem'),
  'EC P-256 (the testkit server)': fixture('../../../testkit/fixtures/tls/server.pem'),
};

describe('subjectPublicKeyInfoOf', () => {
  it.each(Object.entries(certificates))(
    'finds the key of an %s certificate as node:crypto does',
    (_name, pem) => {
      const der = decodePem(pem, 'CERTIFICATE');
      if (der === undefined) throw new Error('no certificate');
      const expected = createPublicKey(pem).export({ type: 'spki', format: 'der' });
      expect(Buffer.from(subjectPublicKeyInfoOf(der) ?? [])).toEqual(expected);
    },
  );

  it('answers undefined, never throws, for truncated or foreign DER', () => {
    const der = decodePem(certificates['RSA (openssl req -x509)'], 'CERTIFICATE') as Uint8Array;
    for (let length = 0; length < der.length; length += 7) {
      expect(subjectPublicKeyInfoOf(der.subarray(0, length))).toBeUndefined();
    }
    expect(subjectPublicKeyInfoOf(new Uint8Array([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]))).toBeUndefined();
    expect(subjectPublicKeyInfoOf(new Uint8Array([0x02, 0x01, 0x00]))).toBeUndefined();
  });
});

describe('decodePem', () => {
  it('reads the labelled block only, and refuses a body that is not base64', () => {
    const bytes = decodePem('-----BEGIN PUBLIC KEY-----\nAAEC\n-----END PUBLIC KEY-----', 'PUBLIC KEY');
    expect([...(bytes ?? [])]).toEqual([0, 1, 2]);
    expect(
      decodePem('-----BEGIN PUBLIC KEY-----\nAAEC\n-----END PUBLIC KEY-----', 'CERTIFICATE'),
    ).toBeUndefined();
    expect(
      decodePem('-----BEGIN PUBLIC KEY-----\nAA_C\n-----END PUBLIC KEY-----', 'PUBLIC KEY'),
    ).toBeUndefined();
    expect(decodePem('-----BEGIN PUBLIC KEY-----\nAAEC', 'PUBLIC KEY')).toBeUndefined();
  });
});
