import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { CLIENT_ASSERTION_TYPE, createClientAssertion } from './create-client-assertion.ts';
import { Secret } from './secret.ts';

const now = Date.parse('2026-11-23T10:00:00Z');
const secret = new Secret('s3cr3t-value-of-32-bytes-or-more!!');

describe('createClientAssertion', () => {
  it('signs client_secret_jwt with HS256 and the RFC 7523 claims', async () => {
    const assertion = await createClientAssertion({
      clientId: 'finance-agent',
      audience: 'https://sso.example.com/realms/prod',
      key: { type: 'client_secret', secret },
      claims: { act: { sub: 'u-1' }, agbac_ver: '1.0' },
      clock: () => now,
    });
    const { payload, protectedHeader } = await jwtVerify(
      assertion,
      new TextEncoder().encode(secret.reveal()),
      {
        algorithms: ['HS256'],
        currentDate: new Date(now),
        audience: 'https://sso.example.com/realms/prod',
        issuer: 'finance-agent',
        subject: 'finance-agent',
      },
    );
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({
      act: { sub: 'u-1' },
      agbac_ver: '1.0',
      iat: now / 1000,
      exp: now / 1000 + 60,
    });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(CLIENT_ASSERTION_TYPE).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  });

  it('uses a fresh jti every time', async () => {
    const options = { clientId: 'a', audience: 'https://x', key: { type: 'client_secret', secret } } as const;
    const [one, two] = await Promise.all([createClientAssertion(options), createClientAssertion(options)]);
    const jti = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()).jti;
    expect(jti(one)).not.toBe(jti(two));
  });

  it.each(['ES256', 'EdDSA', 'RS256'] as const)(
    'signs private_key_jwt with %s, kid and x5t#S256',
    async (alg) => {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      const assertion = await createClientAssertion({
        clientId: 'finance-agent',
        audience: 'https://login.example.com/tenant/oauth2/v2.0/token',
        key: {
          type: 'private_key',
          privateKey: { key: await exportJWK(privateKey), alg, kid: 'k1', x5tS256: 'thumb' },
        },
        lifetimeSeconds: 30,
        clock: () => now,
      });
      expect(decodeProtectedHeader(assertion)).toEqual({ alg, typ: 'JWT', kid: 'k1', 'x5t#S256': 'thumb' });
      const { payload } = await jwtVerify(assertion, publicKey, { currentDate: new Date(now) });
      expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(30);
    },
  );

  it('refuses misuse with a TypeError', async () => {
    const base = { clientId: 'a', audience: 'https://x', key: { type: 'client_secret', secret } } as const;
    await expect(createClientAssertion({ ...base, clientId: '' })).rejects.toThrow(
      'clientId must be a non-empty string',
    );
    await expect(createClientAssertion({ ...base, lifetimeSeconds: 301 })).rejects.toThrow(TypeError);
    await expect(
      createClientAssertion({ ...base, claims: { sub: 'someone-else', aud: 'x' } }),
    ).rejects.toThrow('claims must not set sub, aud');
    await expect(
      createClientAssertion({ ...base, key: { type: 'client_secret', secret: new Secret('') } }),
    ).rejects.toThrow('the client secret must not be empty');
  });
});

describe('createClientAssertion through the JOSE layer', () => {
  const options = {
    clientId: 'finance-agent',
    audience: 'https://idp.test/token',
    clock: () => now,
  } as const;

  it('still signs with a client secret under the 32 bytes RFC 7518 §3.2 asks for, as jose did', async () => {
    const short = new Secret('not-the-secret-0123456789');
    const assertion = await createClientAssertion({
      ...options,
      key: { type: 'client_secret', secret: short },
    });
    await expect(
      jwtVerify(assertion, new TextEncoder().encode(short.reveal()), { currentDate: new Date(now) }),
    ).resolves.toBeDefined();
  });

  it('lays the header and claims out as jose SignJWT does, byte for byte', async () => {
    const assertion = await createClientAssertion({
      ...options,
      key: { type: 'client_secret', secret },
      claims: { act: { sub: 'u-1' }, agbac_ver: '1.0' },
    });
    const [header, payload] = assertion.split('.').map((part) => Buffer.from(part, 'base64url').toString());
    const { jti } = JSON.parse(payload ?? '');
    const reference = await new SignJWT({ act: { sub: 'u-1' }, agbac_ver: '1.0' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('finance-agent')
      .setSubject('finance-agent')
      .setAudience('https://idp.test/token')
      .setJti(jti)
      .setIssuedAt(now / 1000)
      .setExpirationTime(now / 1000 + 60)
      .sign(new TextEncoder().encode(secret.reveal()));
    expect(assertion).toBe(reference);
    expect(header).toBe('{"alg":"HS256","typ":"JWT"}');
  });

  it('signs with a PEM private key and refuses a key that does not fit alg', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const assertion = await createClientAssertion({
      ...options,
      key: { type: 'private_key', privateKey: { key: pem, alg: 'ES256' } },
    });
    await expect(jwtVerify(assertion, publicKey, { currentDate: new Date(now) })).resolves.toBeDefined();
    await expect(
      createClientAssertion({
        ...options,
        key: { type: 'private_key', privateKey: { key: pem, alg: 'RS256' } },
      }),
    ).rejects.toThrow(new TypeError('privateKey.key does not fit the algorithm (RS256)'));
    await expect(
      createClientAssertion({
        ...options,
        key: { type: 'private_key', privateKey: { key: publicKey, alg: 'ES256' } },
      }),
    ).rejects.toThrow(TypeError);
  });
});
