import { ActVerificationError, type ActVerificationFailure, ReplayError } from '@dual-auth/core';
import {
  importVerificationKey,
  isKeyImportFailure,
  type JwsAlgorithm,
  SUPPORTED_JWS_ALGORITHMS,
  staticKeySource,
} from '@dual-auth/core/jose';
import { describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  b64,
  hmacWithPublicKey,
  ISSUER,
  NOW,
  nowSeconds,
  signActJwt,
  signRaw,
  type TestKey,
  testKeys,
  validClaims,
} from '../../test/act-jwt-fixtures.ts';
import { createMemoryReplayStore } from '../create-memory-replay-store.ts';
import { type ActJwtPolicy, verifyActJwt } from './verify-act-jwt.ts';

const keys = testKeys();

function policyFor(
  key: TestKey,
  backend: 'node' | 'web',
  overrides: Partial<ActJwtPolicy> = {},
): ActJwtPolicy {
  const allowedAlgorithms = overrides.allowedAlgorithms ?? SUPPORTED_JWS_ALGORITHMS;
  const verificationKey = importVerificationKey(
    key.publicJwk as never,
    new Set(allowedAlgorithms as readonly JwsAlgorithm[]),
    backend === 'node' ? 'node' : 'webcrypto',
  );
  if (isKeyImportFailure(verificationKey)) throw new Error(verificationKey.message);
  return {
    keySource: staticKeySource([verificationKey]),
    expectedIssuer: ISSUER,
    expectedAudience: AUDIENCE,
    allowedAlgorithms,
    clock: () => NOW,
    clockSkewSeconds: 30,
    maxLifetimeSeconds: 300,
    acceptUntypedActJwt: false,
    acceptPythonReferenceActJwt: false,
    replayStore: createMemoryReplayStore({ clock: () => NOW }),
    ...overrides,
  };
}

async function reasonOf(jwt: unknown, policy: ActJwtPolicy): Promise<ActVerificationFailure | string> {
  try {
    await verifyActJwt(jwt, policy);
    return 'accepted';
  } catch (error) {
    if (error instanceof ActVerificationError) return error.reason;
    if (error instanceof ReplayError) return `replay:${error.reason}`;
    throw error;
  }
}

for (const backend of ['node', 'web'] as const) {
  describe(`verifyActJwt (${backend} signatures)`, () => {
    const rsa = keys.RS256;

    it.each(Object.values(keys))(
      'accepts a valid $alg act JWT and returns act and delegation',
      async (key) => {
        const jwt = await signActJwt(key);
        const verified = await verifyActJwt(jwt, policyFor(key, backend));
        expect(verified.act).toEqual({ sub: 'user-1234', email: 'alice@example.com', name: 'Alice Smith' });
        expect(verified.delegation).toEqual({
          method: 'explicit',
          grantedAt: nowSeconds - 5,
          intentSummary: 'Summarise Q4',
        });
        expect(verified.issuer).toBe(ISSUER);
        expect(verified.expiresAt).toBe((nowSeconds + 60) * 1000);
      },
    );

    it('refuses a replayed jti', async () => {
      const policy = policyFor(rsa, backend);
      const jwt = await signActJwt(rsa);
      await verifyActJwt(jwt, policy);
      expect(await reasonOf(jwt, policy)).toBe('replay:replayed');
    });

    it('refuses oversized input before parsing', async () => {
      const policy = policyFor(rsa, backend);
      expect(await reasonOf('a'.repeat(8 * 1024 + 1), policy)).toBe('too_large');
      const huge = await signActJwt(rsa, validClaims({ padding: 'x'.repeat(9000) }));
      expect(await reasonOf(huge, policy)).toBe('too_large');
    });

    it.each([
      ['not a string', 42],
      ['empty', ''],
      ['one segment', 'abc'],
      ['two segments', 'a.b'],
      ['four segments', 'a.b.c.d'],
      ['empty header', '.e30.c2ln'],
      ['empty payload', 'e30..c2ln'],
      ['non-base64url characters', 'e30*.e30.c2ln'],
      ['header not JSON', `${b64('not json')}.${b64({})}.c2ln`],
      ['header a JSON array', `${b64([])}.${b64({})}.c2ln`],
      ['header JSON null', `${b64('null')}.${b64({})}.c2ln`],
      ['header invalid UTF-8', `${Buffer.from([0xff, 0xfe]).toString('base64url')}.${b64({})}.c2ln`],
      ['header without alg', `${b64({ typ: 'act+jwt' })}.${b64({})}.c2ln`],
    ])('refuses %s as malformed', async (_label, jwt) => {
      expect(await reasonOf(jwt, policyFor(rsa, backend))).toBe('malformed');
    });

    it('refuses alg none, HMAC key confusion, a foreign alg and an alg outside the allow-list', async () => {
      const policy = policyFor(rsa, backend);
      const unsigned = `${b64({ alg: 'none', typ: 'act+jwt' })}.${b64(validClaims())}.`;
      expect(await reasonOf(unsigned, policy)).toBe('algorithm_not_allowed');
      expect(await reasonOf(`${b64({ alg: 'None', typ: 'act+jwt' })}.${b64(validClaims())}.`, policy)).toBe(
        'algorithm_not_allowed',
      );
      expect(await reasonOf(hmacWithPublicKey(rsa), policy)).toBe('algorithm_not_allowed');
      // An ES256 JWT presented to an RSA key: the key's type decides the algorithm, not the token.
      expect(await reasonOf(await signActJwt(keys.ES256), policy)).toBe('algorithm_not_allowed');
      expect(
        await reasonOf(await signActJwt(rsa), policyFor(rsa, backend, { allowedAlgorithms: ['PS256'] })),
      ).toBe('algorithm_not_allowed');
      // RS256 and PS256 over one RSA key are both legitimate, and only the signed one verifies.
      const ps = signRaw(keys.PS256, { alg: 'PS256', typ: 'act+jwt' }, validClaims());
      expect(await reasonOf(ps, policyFor(keys.PS256, backend))).toBe('accepted');
      const relabelled = ps.replace(/^[^.]+/, b64({ alg: 'RS256', typ: 'act+jwt' }));
      expect(await reasonOf(relabelled, policyFor(keys.PS256, backend))).toBe('signature_invalid');
    });

    it('refuses bad signatures: another key, another token, altered payload, truncated', async () => {
      const policy = policyFor(rsa, backend);
      const other = await signActJwt(keys.PS256);
      expect(await reasonOf(other.replace(/^[^.]+/, b64({ alg: 'RS256', typ: 'act+jwt' })), policy)).toBe(
        'signature_invalid',
      );
      const [header, payload, signature] = (await signActJwt(rsa)).split('.');
      const [, otherPayload] = (await signActJwt(rsa)).split('.');
      expect(await reasonOf(`${header}.${otherPayload}.${signature}`, policy)).toBe('signature_invalid');
      const altered = b64(validClaims({ act: { sub: 'admin' }, sub: 'admin' }));
      expect(await reasonOf(`${header}.${altered}.${signature}`, policy)).toBe('signature_invalid');
      expect(await reasonOf(`${header}.${payload}.${signature?.slice(0, 100)}`, policy)).toBe(
        'signature_invalid',
      );
      // A non-canonical final character would decode to the same bytes: refused, so one JWT has one spelling.
      const last = signature?.at(-1) ?? 'A';
      const sibling = String.fromCharCode(last.charCodeAt(0) + 1);
      expect(await reasonOf(`${header}.${payload}.${signature?.slice(0, -1)}${sibling}`, policy)).toMatch(
        /^(malformed|signature_invalid)$/,
      );
    });

    it.each([['jku'], ['x5u'], ['jwk'], ['x5c'], ['crit']])(
      'refuses a %s header as malformed, even when the signature is valid',
      async (name) => {
        const value = name === 'crit' ? ['exp'] : name === 'jwk' ? rsa.publicJwk : 'https://127.0.0.1/keys';
        const jwt = signRaw(
          rsa,
          { alg: 'RS256', typ: 'act+jwt', [name]: value, ...(name === 'crit' ? { exp: 1 } : {}) },
          validClaims(),
        );
        expect(await reasonOf(jwt, policyFor(rsa, backend))).toBe('malformed');
      },
    );

    it('refuses a kid that is not a short string', async () => {
      const policy = policyFor(rsa, backend);
      for (const kid of [7, '', 'k'.repeat(257), { path: '../../etc/passwd' }]) {
        expect(
          await reasonOf(signRaw(rsa, { alg: 'RS256', typ: 'act+jwt', kid }, validClaims()), policy),
        ).toBe('malformed');
      }
    });

    it('checks typ: act+jwt only, unless untyped JWTs are explicitly accepted', async () => {
      const strict = policyFor(rsa, backend);
      const lenient = policyFor(rsa, backend, { acceptUntypedActJwt: true });
      const cases: Array<[unknown, string, string]> = [
        ['act+jwt', 'accepted', 'accepted'],
        ['application/act+jwt', 'accepted', 'accepted'],
        ['ACT+JWT', 'accepted', 'accepted'],
        ['JWT', 'type_invalid', 'accepted'],
        [undefined, 'type_invalid', 'accepted'],
        ['at+jwt', 'type_invalid', 'type_invalid'],
        ['act-assertion+jwt', 'type_invalid', 'type_invalid'],
        [42, 'type_invalid', 'type_invalid'],
      ];
      for (const [typ, strictOutcome, lenientOutcome] of cases) {
        const header = typ === undefined ? { alg: 'RS256' } : { alg: 'RS256', typ };
        expect(await reasonOf(signRaw(rsa, header, validClaims()), strict), String(typ)).toBe(strictOutcome);
        expect(await reasonOf(signRaw(rsa, header, validClaims()), lenient), String(typ)).toBe(
          lenientOutcome,
        );
      }
    });

    it('accepts the Python reference form (typ JWT, sub = iss) only when configured for it', async () => {
      // dual_auth 1.0.1, session/hybrid_sender.py lines 315-327: iss and sub both "application",
      // PyJWT's default header {"alg": "RS256", "typ": "JWT"}.
      const seedClaims = () =>
        validClaims({ iss: 'application', sub: 'application', delegation: undefined, agbac_ver: undefined });
      const strict = policyFor(rsa, backend, { expectedIssuer: 'application' });
      const untyped = policyFor(rsa, backend, { expectedIssuer: 'application', acceptUntypedActJwt: true });
      const seed = policyFor(rsa, backend, {
        expectedIssuer: 'application',
        acceptPythonReferenceActJwt: true,
      });
      const jwt = { alg: 'RS256', typ: 'JWT' };
      const cases: Array<[string, Record<string, unknown>, Record<string, unknown>, string, string, string]> =
        [
          ['the seed form', jwt, seedClaims(), 'type_invalid', 'act_invalid', 'accepted'],
          [
            'sub = act.sub, typ JWT',
            jwt,
            { ...seedClaims(), sub: 'user-1234' },
            'type_invalid',
            'accepted',
            'accepted',
          ],
          [
            'no sub, typ JWT',
            jwt,
            { ...seedClaims(), sub: undefined },
            'type_invalid',
            'accepted',
            'accepted',
          ],
          [
            'a third sub',
            jwt,
            { ...seedClaims(), sub: 'admin' },
            'type_invalid',
            'act_invalid',
            'act_invalid',
          ],
          [
            'sub = iss under typ act+jwt',
            { alg: 'RS256', typ: 'act+jwt' },
            seedClaims(),
            'act_invalid',
            'act_invalid',
            'act_invalid',
          ],
          [
            'sub = iss without typ',
            { alg: 'RS256' },
            seedClaims(),
            'type_invalid',
            'act_invalid',
            'type_invalid',
          ],
          [
            'another issuer',
            jwt,
            { ...seedClaims(), iss: 'https://evil.example.com' },
            'type_invalid',
            'issuer_invalid',
            'issuer_invalid',
          ],
        ];
      for (const [label, header, claims, strictOutcome, untypedOutcome, seedOutcome] of cases) {
        const payload = JSON.parse(JSON.stringify(claims)) as Record<string, unknown>;
        expect(await reasonOf(signRaw(rsa, header, payload), strict), `${label} (strict)`).toBe(
          strictOutcome,
        );
        expect(await reasonOf(signRaw(rsa, header, payload), untyped), `${label} (untyped)`).toBe(
          untypedOutcome,
        );
        expect(await reasonOf(signRaw(rsa, header, payload), seed), `${label} (seed)`).toBe(seedOutcome);
      }
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['wrong iss', { iss: 'https://evil.example.com' }, 'issuer_invalid'],
      ['iss with a trailing slash', { iss: `${ISSUER}/` }, 'issuer_invalid'],
      ['missing iss', { iss: undefined }, 'issuer_invalid'],
      ['wrong aud', { aud: 'https://other-agent.example.com' }, 'audience_invalid'],
      ['missing aud', { aud: undefined }, 'audience_invalid'],
      [
        'aud array without us',
        { aud: ['https://a.example.com', 'https://b.example.com'] },
        'audience_invalid',
      ],
      ['aud array with us', { aud: ['https://a.example.com', AUDIENCE] }, 'accepted'],
      [
        'aud spelled with host case and default port',
        { aud: 'https://AGENT.example.com:443/invoke' },
        'accepted',
      ],
      ['aud on another path', { aud: 'https://agent.example.com/invoke/other' }, 'audience_invalid'],
      ['aud with a query', { aud: `${AUDIENCE}?x=1` }, 'audience_invalid'],
      ['missing exp', { exp: undefined }, 'malformed'],
      ['string exp', { exp: String(nowSeconds + 60) }, 'malformed'],
      ['missing iat', { iat: undefined }, 'malformed'],
      ['exp past beyond skew', { iat: nowSeconds - 100, exp: nowSeconds - 31 }, 'expired'],
      ['exp past within skew', { iat: nowSeconds - 100, exp: nowSeconds - 29 }, 'accepted'],
      ['iat in the future', { iat: nowSeconds + 60, exp: nowSeconds + 120 }, 'not_yet_valid'],
      ['nbf in the future', { nbf: nowSeconds + 60 }, 'not_yet_valid'],
      ['nbf within skew', { nbf: nowSeconds + 20 }, 'accepted'],
      ['lifetime over 300 s', { exp: nowSeconds + 301 }, 'lifetime_too_long'],
      [
        'exp far ahead with a lying iat',
        { iat: nowSeconds + 29, exp: nowSeconds + 329 + 30 },
        'lifetime_too_long',
      ],
      ['missing jti', { jti: undefined }, 'jti_missing'],
      ['empty jti', { jti: '' }, 'jti_missing'],
      ['numeric jti', { jti: 42 }, 'jti_missing'],
      ['jti over 256 characters', { jti: 'j'.repeat(257) }, 'jti_missing'],
      ['missing act', { act: undefined }, 'act_invalid'],
      ['act a string', { act: 'user-1234' }, 'act_invalid'],
      ['act without sub', { act: { email: 'alice@example.com' } }, 'act_invalid'],
      ['act with empty sub', { act: { sub: '' }, sub: '' }, 'act_invalid'],
      ['act with an oversized name', { act: { sub: 'user-1234', name: 'n'.repeat(300) } }, 'act_invalid'],
      ['act with a control character', { act: { sub: 'user\u0007' }, sub: 'user\u0007' }, 'act_invalid'],
      ['sub differing from act.sub', { sub: 'someone-else' }, 'act_invalid'],
      ['invalid delegation', { delegation: { method: 'forced', granted_at: 1 } }, 'act_invalid'],
      [
        'delegation expired beyond skew',
        { delegation: { method: 'explicit', granted_at: nowSeconds - 600, expires_at: nowSeconds - 31 } },
        'expired',
      ],
      [
        'delegation expired within skew',
        { delegation: { method: 'explicit', granted_at: nowSeconds - 600, expires_at: nowSeconds - 29 } },
        'accepted',
      ],
      [
        'delegation expiring later',
        { delegation: { method: 'explicit', granted_at: nowSeconds - 600, expires_at: nowSeconds + 600 } },
        'accepted',
      ],
      ['unknown agbac_ver', { agbac_ver: '2.0' }, 'act_invalid'],
    ])('refuses %s', async (_label, overrides, expected) => {
      const claims = validClaims(overrides);
      for (const [name, value] of Object.entries(overrides)) if (value === undefined) delete claims[name];
      expect(await reasonOf(await signActJwt(rsa, claims), policyFor(rsa, backend))).toBe(expected);
    });

    it('honours a shorter maxLifetimeSeconds', async () => {
      const policy = policyFor(rsa, backend, { maxLifetimeSeconds: 60 });
      expect(await reasonOf(await signActJwt(rsa, validClaims({ exp: nowSeconds + 61 })), policy)).toBe(
        'lifetime_too_long',
      );
      expect(await reasonOf(await signActJwt(rsa, validClaims({ exp: nowSeconds + 60 })), policy)).toBe(
        'accepted',
      );
    });

    it('is not fooled by __proto__ keys', async () => {
      const policy = policyFor(rsa, backend);
      const claims = validClaims();
      const { act } = claims;
      delete claims.act;
      const payload = JSON.parse(JSON.stringify(claims)) as Record<string, unknown>;
      const text = JSON.stringify(payload).replace(/^\{/, `{"__proto__":{"act":${JSON.stringify(act)}},`);
      const header = '{"alg":"RS256","typ":"act+jwt","__proto__":{"alg":"none"}}';
      // Refused outright: a __proto__ member in the header or in the payload is malformed.
      expect(await reasonOf(signRaw(rsa, header, text), policy)).toBe('malformed');
      expect(await reasonOf(signRaw(rsa, { alg: 'RS256', typ: 'act+jwt' }, text), policy)).toBe('malformed');
      expect(await reasonOf(signRaw(rsa, header, validClaims()), policy)).toBe('malformed');
      expect(({} as Record<string, unknown>).act).toBeUndefined();
    });

    it.each([
      ['a duplicate alg', '{"alg":"none","alg":"RS256","typ":"act+jwt"}'],
      ['a duplicate typ', '{"alg":"RS256","typ":"at+jwt","typ":"act+jwt"}'],
      ['a duplicate alg spelled with an escape', '{"alg":"none","\\u0061lg":"RS256","typ":"act+jwt"}'],
    ])('refuses a header with %s as malformed, even when the signature is valid', async (_label, header) => {
      expect(await reasonOf(signRaw(rsa, header, validClaims()), policyFor(rsa, backend))).toBe('malformed');
    });

    it.each([
      ['a duplicate sub', (text: string) => text.replace(/^\{/, '{"sub":"admin",')],
      ['a duplicate sub spelled "\\u0073ub"', (text: string) => text.replace(/^\{/, '{"\\u0073ub":"admin",')],
      ['a duplicate act', (text: string) => text.replace(/^\{/, '{"act":{"sub":"admin"},')],
      [
        'a duplicate act.sub',
        (text: string) => text.replace('"act":{"sub":"user-1234"', '"act":{"sub":"admin","sub":"user-1234"'),
      ],
      [
        'a duplicate act.sub spelled "\\u0073ub"',
        (text: string) =>
          text.replace('"act":{"sub":"user-1234"', '"act":{"sub":"user-1234","\\u0073ub":"admin"'),
      ],
    ])('refuses a payload with %s as malformed, even when the signature is valid', async (_label, edit) => {
      const original = JSON.stringify(validClaims());
      const text = edit(original);
      expect(text).not.toBe(original);
      expect(
        await reasonOf(signRaw(rsa, { alg: 'RS256', typ: 'act+jwt' }, text), policyFor(rsa, backend)),
      ).toBe('malformed');
    });

    it('refuses a payload that is not a JSON object even with a valid signature', async () => {
      const policy = policyFor(rsa, backend);
      for (const payload of ['[1,2]', 'null', '"text"', 'not json']) {
        expect(await reasonOf(signRaw(rsa, { alg: 'RS256', typ: 'act+jwt' }, payload), policy)).toBe(
          'malformed',
        );
      }
    });

    it('does not record the jti of a refused JWT', async () => {
      const policy = policyFor(rsa, backend);
      const claims = validClaims();
      expect(
        await reasonOf(await signActJwt(rsa, { ...claims, aud: 'https://other.example.com' }), policy),
      ).toBe('audience_invalid');
      expect(await reasonOf(await signActJwt(rsa, claims), policy)).toBe('accepted');
    });

    it('fails closed with store_unavailable when a custom replay store throws', async () => {
      const policy = policyFor(rsa, backend, {
        replayStore: {
          useOnce: async () => {
            throw new Error('connection reset');
          },
        },
      });
      expect(await reasonOf(await signActJwt(rsa), policy)).toBe('replay:store_unavailable');
    });
  });
}
