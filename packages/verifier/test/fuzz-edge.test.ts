// Property-based checks of the verifier's own edge (SECURITY.md): no Authorization value and no
// pathological input crashes it, hangs it or is allowed. The JOSE layer beneath it has its
// differential test against jose and its fuzzing once, in packages/core/test/jose-differential.test.ts.
import { parseStrictJsonObject } from '@dual-auth/core/oauth';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../src/create-verifier.ts';
import type { VendorProfile } from '../src/vendor-profile.ts';
import { b64, NOW_MS, testKey } from './fixtures.ts';

const ISSUER = 'https://idp.test/realms/acme';
const AUDIENCE = 'finance-api';
const rsa = testKey('RS256', 'rsa-1');
const ec = testKey('ES256', 'ec-1');
const ed = testKey('EdDSA', 'ed-1');

const profile: VendorProfile = {
  name: 'fuzz',
  agentId: (claims) => (typeof claims.azp === 'string' ? claims.azp : undefined),
  agentRoles: () => [],
  agentScopes: () => [],
  tokenTypes: ['', 'jwt', 'at+jwt'],
};

const verifier = createVerifier({
  issuer: ISSUER,
  audience: AUDIENCE,
  keys: [rsa.publicJwk, ec.publicJwk, ed.publicJwk],
  algorithms: ['RS256', 'ES256', 'EdDSA'],
  vendor: profile,
  layout: 'agbac',
  humanAuthorizedByIdp: true,
  clock: () => NOW_MS,
  clockSkewSeconds: 30,
  maxTokenLifetimeSeconds: 10 * 365 * 86_400,
  cache: false,
});

describe('fuzzing (fast-check)', () => {
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
