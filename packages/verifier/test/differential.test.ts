// Differential and property-based checks (SECURITY.md): over a corpus of valid and invalid tokens
// the verifier's accept/reject verdict equals jose's jwtVerify with the same settings, and no input
// crashes, hangs, or is accepted without a valid signature.
//
// Where the verifier is deliberately stricter than jose (duplicate JSON members, `__proto__`,
// `+`/`/`/`=` in segments, `jku`/`x5u`/`jwk`/`x5c` headers) the corpus leaves those inputs out; each is
// asserted as refused in src/create-verifier.test.ts.
import { type KeyObject, verify as nodeVerify } from 'node:crypto';
import { parseStrictJsonObject } from '@dual-auth/core';
import fc from 'fast-check';
import { createLocalJWKSet, type JWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../src/create-verifier.ts';
import type { VendorProfile } from '../src/vendor-profile.ts';
import { AGENT, b64, delegation, HUMAN, human, mint, NOW, NOW_MS, signRaw, testKey } from './fixtures.ts';

const ISSUER = 'https://idp.test/realms/acme';
const AUDIENCE = 'finance-api';
const rsa = testKey('RS256', 'rsa-1');
const ec = testKey('ES256', 'ec-1');
const ed = testKey('EdDSA', 'ed-1');
const attacker = testKey('ES256', 'ec-1');
const trusted = new Map<string, KeyObject>([
  ['rsa-1', rsa.publicKey],
  ['ec-1', ec.publicKey],
  ['ed-1', ed.publicKey],
]);

// A profile that reads the agent from azp and accepts the usual access-token typ values, so that
// verdicts turn on the JOSE checks jose also makes.
const profile: VendorProfile = {
  name: 'differential',
  agentId: (claims) => (typeof claims.azp === 'string' ? claims.azp : undefined),
  agentRoles: () => [],
  agentScopes: () => [],
  tokenTypes: ['', 'jwt', 'at+jwt'],
};
const acceptedTyp = new Set([undefined, 'JWT', 'at+jwt']);

const verifier = createVerifier({
  issuer: ISSUER,
  audience: AUDIENCE,
  keys: [rsa.publicJwk, ec.publicJwk, ed.publicJwk],
  algorithms: ['RS256', 'ES256', 'EdDSA'],
  vendor: profile,
  layout: 'agbac',
  // The verdicts compared here turn on the JOSE checks alone, not on the human.
  humanAuthorizedByIdp: true,
  clock: () => NOW_MS,
  clockSkewSeconds: 30,
  maxTokenLifetimeSeconds: 10 * 365 * 86_400,
  cache: false,
});

// jose's own key selection over the same JWKS: by kid, alg and key type, trying each candidate.
const joseKeySet = createLocalJWKSet({ keys: [rsa.publicJwk, ec.publicJwk, ed.publicJwk] as JWK[] });

async function joseVerdict(token: string): Promise<boolean> {
  try {
    const { protectedHeader } = await jwtVerify(token, joseKeySet, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['RS256', 'ES256', 'EdDSA'],
      currentDate: new Date(NOW_MS),
      clockTolerance: 30,
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: 10 * 365 * 86_400,
    });
    return acceptedTyp.has(protectedHeader.typ);
  } catch {
    return false;
  }
}

async function ourVerdict(token: string): Promise<boolean> {
  return (await verifier.verify({ authorization: `Bearer ${token}` })).allow;
}

/** A deterministic generator, so a failing corpus entry can be reproduced. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function buildCorpus(size: number): string[] {
  const next = random(20_261_123);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  // The first value is the valid one, chosen 85% of the time, so that about a quarter of the
  // corpus is fully valid and the rest fails in one or several ways.
  const mostly = <T>(items: readonly T[]): T => (next() < 0.85 ? (items[0] as T) : pick(items.slice(1)));
  const corpus: string[] = [];
  for (let index = 0; index < size; index++) {
    const payload: Record<string, unknown> = {
      iss: mostly([ISSUER, `${ISSUER}/`, 'https://evil.test/realms/acme', undefined]),
      aud: mostly([AUDIENCE, [AUDIENCE, 'account'], ['account'], 'other', undefined]),
      azp: AGENT,
      sub: 'service-account',
      exp: mostly([NOW + 300, NOW + 29, NOW - 29, NOW - 31, NOW - 3_600, undefined, 'soon']),
      iat: mostly([NOW - 10, NOW + 29, NOW + 31, NOW + 3_600, undefined]),
      nbf: mostly([undefined, NOW - 10, NOW + 29, NOW + 31, 'later']),
      act: human,
      delegation,
      agbac_ver: '1.0',
      jti: `corpus-${index}`,
    };
    for (const name of Object.keys(payload)) if (payload[name] === undefined) delete payload[name];
    const key = mostly([pick([rsa, ec, ed]), attacker]);
    const header: Record<string, unknown> = {
      alg: mostly([key.alg, 'RS256', 'ES256', 'EdDSA', 'none', 'HS256', 'PS256']),
      kid: mostly([key.kid, 'rsa-1', 'ec-1', 'unknown', undefined]),
      typ: mostly(['JWT', undefined, 'at+jwt', 'act+jwt', 'id+jwt']),
    };
    for (const name of Object.keys(header)) if (header[name] === undefined) delete header[name];
    const signAs = (text: string) => {
      try {
        return signRaw(JSON.stringify(header), text, key, String(header.alg));
      } catch {
        // The header names an algorithm the key cannot make: sign with the key's own.
        return signRaw(JSON.stringify(header), text, key);
      }
    };
    let token = signAs(JSON.stringify(payload));
    const [h, p, s = ''] = token.split('.');
    switch (mostly(['none', 'flip-payload', 'flip-signature', 'truncate', 'swap', 'text'])) {
      case 'flip-payload': {
        const position = Math.floor(next() * (p?.length ?? 1));
        const replacement = p?.[position] === 'A' ? 'B' : 'A';
        token = `${h}.${p?.slice(0, position)}${replacement}${p?.slice(position + 1)}.${s}`;
        break;
      }
      case 'flip-signature':
        token = `${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
        break;
      case 'truncate':
        token = token.slice(0, Math.floor(next() * token.length));
        break;
      case 'swap':
        token = `${h}.${b64(JSON.stringify({ ...payload, sub: 'someone-else' }))}.${s}`;
        break;
      case 'text':
        token = signAs(pick(['[]', '"x"', '42', 'null', '{"a":']));
        break;
      default:
    }
    corpus.push(token);
  }
  return corpus;
}

describe('differential: verdicts equal jose jwtVerify with the same settings', () => {
  it('agrees on a corpus of 1,200 valid and invalid tokens', async () => {
    const corpus = buildCorpus(1_200);
    const disagreements: { index: number; ours: boolean; jose: boolean }[] = [];
    let accepted = 0;
    for (const [index, token] of corpus.entries()) {
      const [ours, jose] = await Promise.all([ourVerdict(token), joseVerdict(token)]);
      if (ours) accepted++;
      if (ours !== jose) disagreements.push({ index, ours, jose });
    }
    expect(disagreements).toEqual([]);
    // The corpus must exercise both verdicts in earnest.
    expect(accepted).toBeGreaterThan(100);
    expect(corpus.length - accepted).toBeGreaterThan(500);
  }, 120_000);
});

/** Whether `token`'s signature really verifies with a trusted key: the oracle for the fuzz checks. */
function signatureReallyValid(token: string): boolean {
  const [h = '', p = '', s = ''] = token.split('.');
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid?: string; alg?: string };
    const key = trusted.get(String(header.kid));
    if (key === undefined) return false;
    const data = Buffer.from(`${h}.${p}`);
    const signature = Buffer.from(s, 'base64url');
    if (header.alg === 'RS256') return nodeVerify('sha256', data, key, signature);
    if (header.alg === 'ES256')
      return nodeVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    if (header.alg === 'EdDSA') return nodeVerify(null, data, key, signature);
  } catch {
    return false;
  }
  return false;
}

describe('fuzzing (fast-check)', () => {
  const valid = mint(ec, {
    iss: ISSUER,
    aud: AUDIENCE,
    azp: AGENT,
    sub: 'service-account',
    iat: NOW - 10,
    exp: NOW + 300,
    act: { sub: HUMAN },
    delegation,
    agbac_ver: '1.0',
  });

  it('never throws and never allows arbitrary Authorization values', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.base64String()),
        async (value) => {
          const decision = await verifier.verify({ authorization: `Bearer ${value}` });
          expect(decision.allow).toBe(false);
        },
      ),
      { numRuns: 1_500 },
    );
  });

  it('never allows a token whose JSON header and payload are arbitrary and signature random', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          alg: fc.constantFrom('RS256', 'ES256', 'EdDSA', 'none', 'HS256'),
          kid: fc.constantFrom('rsa-1', 'ec-1', 'ed-1'),
        }),
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        async (header, payload, signature) => {
          const token = `${b64(JSON.stringify(header))}.${b64(JSON.stringify({ ...payload, iss: ISSUER, aud: AUDIENCE }))}.${Buffer.from(signature).toString('base64url')}`;
          expect((await verifier.verify({ authorization: `Bearer ${token}` })).allow).toBe(false);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('accepts a mutated valid token only when its signature still verifies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: valid.length - 1 }),
        fc.constantFrom(...'ABCabc012-_.+/= '),
        async (position, character) => {
          const mutated = `${valid.slice(0, position)}${character}${valid.slice(position + 1)}`;
          const decision = await verifier.verify({ authorization: `Bearer ${mutated}` });
          if (decision.allow) expect(signatureReallyValid(mutated)).toBe(true);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('parses JSON objects like JSON.parse, and never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        parseStrictJsonObject(text);
      }),
      { numRuns: 3_000 },
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const text = JSON.stringify(object);
        const parsed = parseStrictJsonObject(text);
        if (text.includes('"__proto__":')) expect(parsed).toBeUndefined();
        else expect(parsed).toEqual(JSON.parse(text));
      }),
      { numRuns: 3_000 },
    );
  });

  it('terminates quickly on pathological inputs', async () => {
    const started = performance.now();
    const inputs = [
      `${'a'.repeat(16_000)}`,
      `${'.'.repeat(16_000)}`,
      `${b64('{"alg":"ES256","kid":"ec-1"}')}.${b64(`{"a":${'['.repeat(5_000)}${']'.repeat(5_000)}}`)}.AAAA`,
      `${b64(`{${'"a":1,'.repeat(1_500)}"alg":"ES256"}`)}.e30.AAAA`,
    ];
    for (const input of inputs)
      expect((await verifier.verify({ authorization: `Bearer ${input}` })).allow).toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
