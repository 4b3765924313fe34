import { ActVerificationError, isDualAuthError } from '@dual-auth/core';
import {
  importVerificationKey,
  isKeyImportFailure,
  SUPPORTED_JWS_ALGORITHMS,
  staticKeySource,
} from '@dual-auth/core/jose';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  b64,
  ISSUER,
  NOW,
  signActJwt,
  signRaw,
  testKeys,
  validClaims,
} from '../../test/act-jwt-fixtures.ts';
import { createMemoryReplayStore } from '../create-memory-replay-store.ts';
import { type ActJwtPolicy, verifyActJwt } from './verify-act-jwt.ts';

const keys = testKeys();
const RUNS = 300;

function policy(): ActJwtPolicy {
  const key = importVerificationKey(keys.ES256.publicJwk as never, new Set(SUPPORTED_JWS_ALGORITHMS), 'node');
  if (isKeyImportFailure(key)) throw new Error(key.message);
  return {
    keySource: staticKeySource([key]),
    expectedIssuer: ISSUER,
    expectedAudience: AUDIENCE,
    allowedAlgorithms: SUPPORTED_JWS_ALGORITHMS,
    clock: () => NOW,
    clockSkewSeconds: 30,
    maxLifetimeSeconds: 300,
    acceptUntypedActJwt: true,
    acceptPythonReferenceActJwt: false,
    replayStore: createMemoryReplayStore({ clock: () => NOW }),
  };
}

async function outcome(jwt: unknown, p: ActJwtPolicy): Promise<'accepted' | 'refused'> {
  try {
    await verifyActJwt(jwt, p);
    return 'accepted';
  } catch (error) {
    // Every refusal is typed: a crash (TypeError, RangeError, SyntaxError…) fails the property.
    if (!isDualAuthError(error)) throw error;
    return 'refused';
  }
}

describe('verifyActJwt properties (fast-check)', () => {
  it('never crashes on arbitrary input and accepts none of it', async () => {
    const p = policy();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.base64String({ maxLength: 300 }),
          fc.tuple(fc.string(), fc.string(), fc.string()).map((parts) => parts.join('.')),
          fc.anything(),
        ),
        async (input) => {
          expect(await outcome(input, p)).toBe('refused');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('accepts no JWT whose header and payload were not signed by the key, whatever they say', async () => {
    const p = policy();
    const header = fc.record(
      {
        alg: fc.constantFrom(...SUPPORTED_JWS_ALGORITHMS, 'none', 'HS256', 'ES256'),
        typ: fc.constantFrom('act+jwt', 'JWT', 'at+jwt'),
        kid: fc.string({ maxLength: 10 }),
      },
      { requiredKeys: ['alg'] },
    );
    const payload = fc.oneof(
      fc.constant(validClaims()),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 }),
    );
    const signature = fc.uint8Array({ minLength: 0, maxLength: 80 });
    await fc.assert(
      fc.asyncProperty(header, payload, signature, async (h, claims, bytes) => {
        const forged = `${b64(h)}.${b64({ ...claims, jti: crypto.randomUUID() })}.${Buffer.from(bytes).toString('base64url')}`;
        expect(await outcome(forged, p)).toBe('refused');
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses every one-character alteration of a valid act JWT', async () => {
    const original = await signActJwt(keys.ES256);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: original.length - 1 }),
        fc.constantFrom(...alphabet),
        async (position, character) => {
          const altered = original.slice(0, position) + character + original.slice(position + 1);
          fc.pre(altered !== original);
          expect(await outcome(altered, policy())).toBe('refused');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('signed by the right key, arbitrary claims are either fully valid or refused with a typed reason', async () => {
    const claim = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
    await fc.assert(
      fc.asyncProperty(
        fc.record({ iss: claim, aud: claim, exp: claim, iat: claim, jti: claim, act: claim, sub: claim }),
        async (overrides) => {
          const claims = validClaims(overrides);
          for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
          const jwt = signRaw(keys.ES256, { alg: 'ES256', typ: 'act+jwt' }, claims);
          try {
            const verified = await verifyActJwt(jwt, policy());
            expect(claims.iss).toBe(ISSUER);
            expect(
              claims.aud === AUDIENCE || (Array.isArray(claims.aud) && claims.aud.includes(AUDIENCE)),
            ).toBe(true);
            expect(verified.act.sub.length).toBeGreaterThan(0);
          } catch (error) {
            expect(error).toBeInstanceOf(ActVerificationError);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
