// Differential and property checks of the one JOSE layer (SECURITY.md), which the client, the
// verifier, the sender and the CLI share: over a corpus of valid and invalid tokens, the verdict of
// parseCompactJws + verifyParsedJws + checkRegisteredClaims equals jose's jwtVerify with the same
// settings; no input crashes, hangs, or is accepted without a valid signature.
//
// Where the layer is deliberately stricter than jose (duplicate JSON members, `__proto__`, `+`/`/`/`=`
// in segments, `jku`/`x5u`/`jwk`/`x5c`/`b64`/`zip`/`enc` headers) the corpus leaves those inputs
// out; each is asserted as refused below.
import {
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  verify as nodeVerify,
  randomBytes,
  sign,
} from 'node:crypto';
import { CompactSign, compactVerify, createLocalJWKSet, importJWK, type JWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  checkRegisteredClaims,
  createStaticKeySource,
  importHmacSigningKey,
  importSigningKey,
  isSigningKeyFailure,
  type JoseFailureReason,
  type JwsAlgorithm,
  type PrivateKeyInput,
  parseCompactJws,
  signCompactJws,
  verifyParsedJws,
} from '../src/jose/index.ts';

const ISSUER = 'https://idp.test/realms/acme';
const AUDIENCE = 'finance-api';
const NOW = 1_764_000_000;
const MAX_LIFETIME = 10 * 365 * 86_400;

interface TestKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256' | 'EdDSA';
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicJwk: Record<string, unknown>;
}

function testKey(alg: TestKey['alg'], kid: string): TestKey {
  const { privateKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  const publicKey = createPublicKey(privateKey);
  return { kid, alg, privateKey, publicKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid } };
}

const b64 = (text: string) => Buffer.from(text).toString('base64url');

function signRaw(headerJson: string, payloadJson: string, key: TestKey, alg: string = key.alg): string {
  const input = `${b64(headerJson)}.${b64(payloadJson)}`;
  const data = Buffer.from(input);
  let signature: Buffer;
  if (alg === 'RS256' || alg === 'PS256') {
    signature = sign('sha256', data, {
      key: key.privateKey,
      ...(alg === 'PS256' ? { padding: 6, saltLength: -1 } : {}),
    });
  } else if (alg === 'ES256')
    signature = sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  else if (alg === 'EdDSA') signature = sign(null, data, key.privateKey);
  else if (alg === 'none') signature = Buffer.alloc(0);
  else throw new Error(`cannot sign ${alg}`);
  return `${input}.${signature.toString('base64url')}`;
}

const rsa = testKey('RS256', 'rsa-1');
const ec = testKey('ES256', 'ec-1');
const ed = testKey('EdDSA', 'ed-1');
const attacker = testKey('ES256', 'ec-1');
const trusted = new Map<string, KeyObject>([
  ['rsa-1', rsa.publicKey],
  ['ec-1', ec.publicKey],
  ['ed-1', ed.publicKey],
]);
const algorithms = new Set<JwsAlgorithm>(['RS256', 'ES256', 'EdDSA']);
const keys = createStaticKeySource([rsa.publicJwk, ec.publicJwk, ed.publicJwk], algorithms, 'keys');
const rules = {
  issuers: new Set([ISSUER]),
  audiences: new Set([AUDIENCE]),
  skewSeconds: 30,
  maxLifetimeSeconds: MAX_LIFETIME,
};
const acceptedTyp = new Set([undefined, 'JWT', 'at+jwt']);

/** The layer's verdict: the reason it refused, or 'accepted'. */
async function ourVerdict(token: string): Promise<JoseFailureReason | 'type' | 'accepted'> {
  const parsed = parseCompactJws(token, algorithms);
  if (!parsed.ok) return parsed.reason;
  if (!acceptedTyp.has(parsed.header.typ as string | undefined)) return 'type';
  const verified = await verifyParsedJws(parsed, keys);
  if (!verified.ok) return verified.reason;
  const exp = checkRegisteredClaims(verified.payload, rules, NOW);
  return typeof exp === 'number' ? 'accepted' : exp.reason;
}

const joseKeySet = createLocalJWKSet({ keys: [rsa.publicJwk, ec.publicJwk, ed.publicJwk] as JWK[] });

async function joseVerdict(token: string): Promise<boolean> {
  try {
    const { protectedHeader } = await jwtVerify(token, joseKeySet, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: [...algorithms],
      currentDate: new Date(NOW * 1000),
      clockTolerance: 30,
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: MAX_LIFETIME,
    });
    return acceptedTyp.has(protectedHeader.typ);
  } catch {
    return false;
  }
}

/** A deterministic generator, so a failing corpus entry or fuzz case can be reproduced. */
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
      sub: 'service-account',
      exp: mostly([NOW + 300, NOW + 29, NOW - 29, NOW - 31, NOW - 3_600, undefined, 'soon']),
      iat: mostly([NOW - 10, NOW + 29, NOW + 31, NOW + 3_600, undefined]),
      nbf: mostly([undefined, NOW - 10, NOW + 29, NOW + 31, 'later']),
      jti: `corpus-${index}`,
    };
    for (const name of Object.keys(payload)) if (payload[name] === undefined) delete payload[name];
    const key = mostly([pick([rsa, ec, ed]), attacker]);
    const header: Record<string, unknown> = {
      alg: mostly([key.alg, 'RS256', 'ES256', 'EdDSA', 'none', 'PS256']),
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
  it('agrees on a corpus of 1,500 valid and invalid tokens', async () => {
    const corpus = buildCorpus(1_500);
    const disagreements: { index: number; ours: string; jose: boolean }[] = [];
    let accepted = 0;
    for (const [index, token] of corpus.entries()) {
      const [ours, jose] = await Promise.all([ourVerdict(token), joseVerdict(token)]);
      if (ours === 'accepted') accepted++;
      if ((ours === 'accepted') !== jose) disagreements.push({ index, ours, jose });
    }
    expect(disagreements).toEqual([]);
    // The corpus must exercise both verdicts in earnest.
    expect(accepted).toBeGreaterThan(100);
    expect(corpus.length - accepted).toBeGreaterThan(500);
  }, 120_000);
});

describe('where the layer is stricter than jose', () => {
  const claims = { iss: ISSUER, aud: AUDIENCE, iat: NOW - 10, exp: NOW + 300 };
  const valid = signRaw(JSON.stringify({ alg: 'ES256', kid: 'ec-1' }), JSON.stringify(claims), ec);

  it('accepts the valid token it starts from', async () => {
    expect(await ourVerdict(valid)).toBe('accepted');
  });

  const refusals: [string, string, string][] = [
    ['a duplicate header member', '{"alg":"ES256","kid":"ec-1","kid":"rsa-1"}', 'malformed'],
    ['a __proto__ header member', '{"alg":"ES256","kid":"ec-1","__proto__":{}}', 'malformed'],
    ...['jku', 'x5u', 'jwk', 'x5c', 'b64', 'zip', 'enc', 'crit'].map((name): [string, string, string] => [
      `a ${name} header`,
      `{"alg":"ES256","kid":"ec-1","${name}":"x"}`,
      'header_not_accepted',
    ]),
    ['alg none', '{"alg":"none","kid":"ec-1"}', 'alg_not_allowed'],
    ['an HMAC alg', '{"alg":"HS256","kid":"ec-1"}', 'alg_not_allowed'],
    ['a non-string kid', '{"alg":"ES256","kid":7}', 'malformed'],
    ['an unknown kid', '{"alg":"ES256","kid":"ec-9"}', 'unknown_kid'],
    ['an alg another key type makes', '{"alg":"RS256","kid":"ec-1"}', 'key_alg_mismatch'],
  ];
  it.each(refusals)('refuses %s', async (_name, header, reason) => {
    expect(await ourVerdict(signRaw(header, JSON.stringify(claims), ec))).toBe(reason);
  });

  it('refuses a duplicate payload member and padding or base64 characters in a segment', async () => {
    const duplicate = `{"iss":"${ISSUER}","aud":"${AUDIENCE}","iat":${NOW},"exp":${NOW + 300},"exp":${NOW + 9_999}}`;
    expect(await ourVerdict(signRaw('{"alg":"ES256","kid":"ec-1"}', duplicate, ec))).toBe('malformed');
    const [h, p, s] = valid.split('.');
    expect(await ourVerdict(`${h}.${p}.${s}=`)).toBe('malformed');
    expect(await ourVerdict(`${h}=.${p}.${s}`)).toBe('malformed');
    expect(await ourVerdict(`${h}.${p}.${s?.replace(/-/g, '+').replace(/_/g, '/')}`)).not.toBe('accepted');
    expect(await ourVerdict(`${h}.${p}.${s}.`)).toBe('malformed');
    expect(await ourVerdict(`${h}..${s}`)).toBe('malformed');
  });

  it('tells a signed payload that is not base64url from one that is not UTF-8 JSON', async () => {
    const signedOver = (payloadSegment: string) => {
      const input = `${b64('{"alg":"ES256","kid":"ec-1"}')}.${payloadSegment}`;
      const signature = sign('sha256', Buffer.from(input), { key: ec.privateKey, dsaEncoding: 'ieee-p1363' });
      return `${input}.${signature.toString('base64url')}`;
    };
    const detailOf = async (token: string) => {
      const parsed = parseCompactJws(token, algorithms);
      if (!parsed.ok) return parsed.detail;
      const verified = await verifyParsedJws(parsed, keys);
      return verified.ok ? 'accepted' : verified.detail;
    };
    const payload = b64(JSON.stringify(claims));
    expect(await detailOf(signedOver(payload))).toBe('accepted');
    expect(await detailOf(signedOver(`${payload.slice(0, 8)}+${payload.slice(9)}`))).toBe('is not base64url');
    expect(await detailOf(signedOver(`${payload}==`))).toBe('is not base64url');
    const notUtf8 = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64url');
    expect(await detailOf(signedOver(notUtf8))).toBe('payload is not a JSON object');
  });

  it('names the registered claim that failed', async () => {
    const reasonFor = (payload: Record<string, unknown>) =>
      ourVerdict(signRaw('{"alg":"ES256","kid":"ec-1"}', JSON.stringify({ ...claims, ...payload }), ec));
    expect(await reasonFor({ iss: `${ISSUER}/` })).toBe('wrong_issuer');
    expect(await reasonFor({ aud: 'other' })).toBe('wrong_audience');
    expect(await reasonFor({ exp: NOW - 31 })).toBe('expired');
    expect(await reasonFor({ nbf: NOW + 31 })).toBe('not_yet_valid');
    expect(await reasonFor({ iat: NOW + 31 })).toBe('issued_in_future');
    expect(await reasonFor({ exp: 'soon' })).toBe('missing_claim');
    expect(await reasonFor({ iat: NOW - MAX_LIFETIME - 10 })).toBe('lifetime_too_long');
  });
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

describe('fuzzing (seeded, reproducible)', () => {
  const next = random(4_242);
  const characters = 'ABCabcxyz0129-_.+/= \u00e9\u0000{}"';
  const randomText = (length: number) =>
    Array.from({ length }, () => characters[Math.floor(next() * characters.length)]).join('');
  const valid = signRaw(
    JSON.stringify({ alg: 'EdDSA', kid: 'ed-1' }),
    JSON.stringify({ iss: ISSUER, aud: AUDIENCE, iat: NOW - 10, exp: NOW + 300 }),
    ed,
  );

  it('never throws and accepts no arbitrary text', async () => {
    for (let run = 0; run < 3_000; run++) {
      const text =
        run % 3 === 0
          ? randomText(Math.floor(next() * 400))
          : `${randomText(20)}.${randomText(40)}.${randomText(20)}`;
      expect(await ourVerdict(text)).not.toBe('accepted');
    }
  });

  it('accepts no token whose header and payload are arbitrary JSON and signature random', async () => {
    for (let run = 0; run < 1_000; run++) {
      const alg = ['RS256', 'ES256', 'EdDSA', 'none', 'HS256'][run % 5];
      const kid = ['rsa-1', 'ec-1', 'ed-1'][run % 3];
      const payload = { [randomText(4)]: randomText(8), iss: ISSUER, aud: AUDIENCE, iat: NOW, exp: NOW + 60 };
      const signature = Buffer.from(
        Array.from({ length: Math.floor(next() * 300) }, () => Math.floor(next() * 256)),
      );
      const token = `${b64(JSON.stringify({ alg, kid }))}.${b64(JSON.stringify(payload))}.${signature.toString('base64url')}`;
      expect(await ourVerdict(token)).not.toBe('accepted');
    }
  });

  it('accepts a mutated valid token only when its signature still verifies', async () => {
    for (let run = 0; run < 3_000; run++) {
      const position = Math.floor(next() * valid.length);
      const character = 'ABCabc012-_.+/= '[Math.floor(next() * 16)];
      const mutated = `${valid.slice(0, position)}${character}${valid.slice(position + 1)}`;
      if ((await ourVerdict(mutated)) === 'accepted') expect(signatureReallyValid(mutated)).toBe(true);
    }
  });

  it('terminates quickly on pathological inputs', async () => {
    const started = performance.now();
    for (const input of [
      'a'.repeat(16_000),
      '.'.repeat(16_000),
      `${b64('{"alg":"ES256","kid":"ec-1"}')}.${b64(`{"a":${'['.repeat(5_000)}${']'.repeat(5_000)}}`)}.AAAA`,
      `${b64(`{${'"a":1,'.repeat(1_500)}"alg":"ES256"}`)}.e30.AAAA`,
    ]) {
      expect(await ourVerdict(input)).not.toBe('accepted');
    }
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('key confusion', () => {
  it('refuses HS256 signed with the RSA public key as the secret, even when HS256 were named', async () => {
    const { createHmac } = await import('node:crypto');
    const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const input = `${b64('{"alg":"HS256","kid":"rsa-1"}')}.${b64(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, iat: NOW, exp: NOW + 60 }))}`;
    const token = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    expect(await ourVerdict(token)).toBe('alg_not_allowed');
    const widened = parseCompactJws(token, new Set(['HS256' as JwsAlgorithm, 'RS256']));
    expect(widened.ok && (await verifyParsedJws(widened, keys)).ok).toBe(false);
  });
});

describe('signing: the layer against jose', () => {
  const header = (alg: string) => ({ alg, typ: 'JWT', kid: 'k1' });
  const payload = { iss: ISSUER, sub: 'agent', aud: AUDIENCE, jti: 'j-1', iat: NOW, exp: NOW + 60 };
  const joseSign = (alg: string, key: Parameters<CompactSign['sign']>[0]) =>
    new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader(header(alg))
      .sign(key);

  it.each([
    ['HS256', 32],
    ['HS384', 48],
    ['HS512', 64],
  ] as const)(
    '%s signs the bytes jose signs, on both runtimes; a secret under %i bytes is refused',
    async (alg, bytes) => {
      for (const runtime of ['node', 'webcrypto'] as const) {
        for (const length of [bytes, bytes + 17]) {
          const secret = randomBytes(length);
          const key = await importHmacSigningKey(secret, alg, { runtime });
          if (isSigningKeyFailure(key)) throw new Error(key.message);
          expect(await signCompactJws(header(alg), payload, key.sign)).toBe(await joseSign(alg, secret));
        }
        const shortSecret = randomBytes(bytes - 1);
        const short = await importHmacSigningKey(shortSecret, alg, { runtime });
        expect(short).toMatchObject({ problem: 'hmac_key_too_short' });
        // Accepted on request, it signs what jose signs (jose has no length rule for HMAC).
        const accepted = await importHmacSigningKey(shortSecret, alg, { runtime, shortKeys: 'accept' });
        if (isSigningKeyFailure(accepted)) throw new Error(accepted.message);
        expect(await signCompactJws(header(alg), payload, accepted.sign)).toBe(
          await joseSign(alg, shortSecret),
        );
        const empty = await importHmacSigningKey(new Uint8Array(0), alg, { runtime, shortKeys: 'accept' });
        expect(empty).toMatchObject({ problem: 'hmac_key_too_short' });
      }
    },
  );

  const generated = {
    RS256: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
    RS512: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
    PS256: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
    PS384: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
    ES256: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    ES384: () => generateKeyPairSync('ec', { namedCurve: 'P-384' }),
    ES512: () => generateKeyPairSync('ec', { namedCurve: 'P-521' }),
    EdDSA: () => generateKeyPairSync('ed25519'),
  } as const;
  // RSASSA-PKCS1-v1_5 and Ed25519 are deterministic: the same bytes as jose; the others are checked
  // by jose's compactVerify.
  const deterministic = new Set(['RS256', 'RS512', 'EdDSA']);

  it.each(Object.keys(generated) as (keyof typeof generated)[])(
    '%s from a JWK, PEM, KeyObject or CryptoKey signs what jose signs and verifies',
    async (alg) => {
      const { privateKey, publicKey } = generated[alg]();
      const jwk = privateKey.export({ format: 'jwk' });
      const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      const cryptoKey = await importJWK({ ...jwk, alg } as JWK, alg);
      const inputs = [
        ['node', jwk],
        ['webcrypto', jwk],
        ['node', pem],
        ['webcrypto', pem],
        ['node', privateKey],
        ['node', cryptoKey],
      ] as const;
      for (const [runtime, input] of inputs) {
        const key = await importSigningKey(input as PrivateKeyInput, alg, runtime);
        if (isSigningKeyFailure(key)) throw new Error(`${runtime}: ${key.message}`);
        const ours = await signCompactJws(header(alg), payload, key.sign);
        if (deterministic.has(alg)) expect(ours).toBe(await joseSign(alg, privateKey));
        const verified = await compactVerify(ours, publicKey, { algorithms: [alg] });
        expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual(payload);
      }
    },
  );

  it('refuses what jose refuses: a public key, a key of another type, an RSA key under 2048 bits', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const cases = [
      [ec.publicKey, 'ES256', 'public_key'],
      [ec.privateKey.export({ format: 'jwk' }), 'RS256', 'key_alg_mismatch'],
      [ec.privateKey, 'ES384', 'key_alg_mismatch'],
      [short.privateKey, 'RS256', 'rsa_too_short'],
      [short.privateKey.export({ format: 'jwk' }), 'PS256', 'rsa_too_short'],
    ] as const;
    for (const [input, alg, problem] of cases) {
      for (const runtime of ['node', 'webcrypto'] as const) {
        if (runtime === 'webcrypto' && !('kty' in input)) continue;
        expect(await importSigningKey(input as PrivateKeyInput, alg, runtime)).toMatchObject({ problem });
      }
      await expect(joseSign(alg, input as KeyObject)).rejects.toThrow();
    }
  });
});
