// Doctor's verdicts and texts through the JOSE layer equal those of jose's
// jwtVerify(token, createLocalJWKSet(jwks), options), which doctor used before (and prints).
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { type JwksVerifyOptions, verifyWithJwks } from './verify-with-jwks.ts';

const now = Math.floor(Date.now() / 1000);
const issuer = 'https://idp.test/realms/acme';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = {
  keys: [
    { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', use: 'sig' },
    { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1' },
    { ...other.publicKey.export({ format: 'jwk' }), kid: 'enc-1', use: 'enc' },
  ],
};

const part = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function token(header: Record<string, unknown>, payload: unknown, key: KeyObject = rsa.privateKey): string {
  const input = `${part(header)}.${part(payload)}`;
  const alg = header.alg;
  const signature =
    alg === 'ES256'
      ? sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
      : alg === 'RS256'
        ? sign('sha256', Buffer.from(input), key)
        : Buffer.from('not-a-signature');
  return `${input}.${signature.toString('base64url')}`;
}

const good = { iss: issuer, aud: 'finance-api', sub: 'agent', iat: now, exp: now + 300 };
const rs = { alg: 'RS256', typ: 'JWT', kid: 'rsa-1' };
const cases: readonly (readonly [string, string, JwksVerifyOptions?])[] = [
  ['valid RS256', token(rs, good)],
  ['valid ES256 without kid', token({ alg: 'ES256' }, good, ec.privateKey)],
  ['another key', token(rs, good, other.privateKey)],
  ['unknown kid', token({ ...rs, kid: 'nope' }, good)],
  ['the enc key', token({ ...rs, kid: 'enc-1' }, good, other.privateKey)],
  ['RS256 on the EC key', token({ ...rs, kid: 'ec-1' }, good)],
  ['alg none', token({ alg: 'none' }, good)],
  ['HS256', token({ alg: 'HS256', kid: 'rsa-1' }, good)],
  ['two segments', token(rs, good).split('.').slice(0, 2).join('.')],
  ['header not JSON', `${part('nope')}.${token(rs, good).split('.').slice(1).join('.')}`],
  ['payload not an object', token(rs, [1, 2])],
  ['iss differs', token(rs, { ...good, iss: `${issuer}/` })],
  ['iss missing', token(rs, { ...good, iss: undefined })],
  ['expired', token(rs, { ...good, exp: now - 5 })],
  ['exp not a number', token(rs, { ...good, exp: 'soon' })],
  ['no exp', token(rs, { ...good, exp: undefined })],
  ['nbf in the future', token(rs, { ...good, nbf: now + 600 })],
  ['iat not a number', token(rs, { ...good, iat: '1' })],
  ['audience asked, matches', token(rs, good), { issuer, audience: 'finance-api' }],
  [
    'audience asked, array',
    token(rs, { ...good, aud: ['x', 'finance-api'] }),
    { issuer, audience: 'finance-api' },
  ],
  ['audience asked, differs', token(rs, good), { issuer, audience: 'other-api' }],
  ['audience asked, missing', token(rs, { ...good, aud: undefined }), { issuer, audience: 'finance-api' }],
  [
    'typ asked, matches',
    token({ ...rs, typ: 'act-assertion+jwt' }, good),
    { issuer, typ: 'act-assertion+jwt' },
  ],
  [
    'typ asked, case and prefix',
    token({ ...rs, typ: 'application/Act-Assertion+JWT' }, good),
    { issuer, typ: 'act-assertion+jwt' },
  ],
  ['typ asked, differs', token(rs, good), { issuer, typ: 'act-assertion+jwt' }],
];

describe('verifyWithJwks against jose jwtVerify + createLocalJWKSet', () => {
  for (const [name, jwt, options = { issuer }] of cases)
    it(name, async () => {
      const ours = await verifyWithJwks(jwt, jwks, options, now);
      const theirs = await jwtVerify(jwt, createLocalJWKSet(jwks as JSONWebKeySet), {
        ...options,
        currentDate: new Date(now * 1000),
      }).then(
        ({ payload }) => ({ ok: true as const, payload }),
        (error: Error & { claim?: string }) => ({
          ok: false as const,
          message: error.message,
          claim: error.claim,
        }),
      );
      if (theirs.ok) expect(ours).toEqual({ ok: true, payload: theirs.payload });
      else expect(ours).toMatchObject({ ok: false, message: theirs.message, claim: theirs.claim });
    });
});
