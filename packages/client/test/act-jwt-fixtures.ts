import { createHmac, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { ACT_JWT_TYPE, AGBAC_VERSION } from '@dual-auth/core';
import { SignJWT } from 'jose';

export const ISSUER = 'https://app.example.com';
export const AUDIENCE = 'https://agent.example.com/invoke';
export const NOW = Date.parse('2026-03-01T12:00:00Z');
export const nowSeconds = Math.floor(NOW / 1000);

export interface TestKey {
  readonly alg: 'RS256' | 'PS256' | 'ES256' | 'EdDSA';
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicPem: string;
  readonly publicJwk: Record<string, unknown>;
}

function makeKey(alg: TestKey['alg']): TestKey {
  const pair =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'EdDSA'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    alg,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    publicPem: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicJwk: pair.publicKey.export({ format: 'jwk' }) as Record<string, unknown>,
  };
}

let cache: Record<TestKey['alg'], TestKey> | undefined;

/** One key pair per algorithm family, made once per test file. */
export function testKeys(): Record<TestKey['alg'], TestKey> {
  cache ??= {
    RS256: makeKey('RS256'),
    PS256: makeKey('PS256'),
    ES256: makeKey('ES256'),
    EdDSA: makeKey('EdDSA'),
  };
  return cache;
}

/** Claims of a valid act JWT per core's format (`ActJwtClaims`), at {@link NOW}. */
export function validClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: ISSUER,
    sub: 'user-1234',
    aud: AUDIENCE,
    iat: nowSeconds,
    exp: nowSeconds + 60,
    jti: randomUUID(),
    act: { sub: 'user-1234', email: 'alice@example.com', name: 'Alice Smith' },
    delegation: { method: 'explicit', granted_at: nowSeconds - 5, intent_summary: 'Summarise Q4' },
    agbac_ver: AGBAC_VERSION,
    ...overrides,
  };
}

/** Signs claims with jose exactly as an application would; `header` overrides the protected header. */
export async function signActJwt(
  key: TestKey,
  claims: Record<string, unknown> = validClaims(),
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, typ: ACT_JWT_TYPE, ...header } as { alg: string })
    .sign(key.privateKey);
}

export const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A compact JWS signed with node:crypto over arbitrary header and payload text (for hostile shapes). */
export function signRaw(key: TestKey, header: unknown, payload: unknown): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const algorithm = key.alg === 'EdDSA' ? null : 'sha256';
  const options =
    key.alg === 'ES256'
      ? { key: key.privateKey, dsaEncoding: 'ieee-p1363' as const }
      : key.alg === 'PS256'
        ? { key: key.privateKey, padding: 6, saltLength: 32 }
        : key.privateKey;
  return `${input}.${sign(algorithm, Buffer.from(input), options).toString('base64url')}`;
}

/** The classic key confusion: HS256 with the RSA public key's PEM as the HMAC secret. */
export function hmacWithPublicKey(key: TestKey, claims: Record<string, unknown> = validClaims()): string {
  const input = `${b64({ alg: 'HS256', typ: ACT_JWT_TYPE })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', key.publicPem).update(input).digest('base64url')}`;
}
