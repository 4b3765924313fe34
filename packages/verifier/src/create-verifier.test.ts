import { type AuditEvent, createManualClock } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import {
  AGENT,
  actAssertion,
  b64,
  delegation,
  HUMAN,
  human,
  mint,
  NOW,
  NOW_MS,
  signRaw,
  testKey,
} from '../test/fixtures.ts';
import { createStaticHumanAuthorizer } from './create-static-human-authorizer.ts';
import { createVerifier, MISSING_TOKEN_REASON } from './create-verifier.ts';
import type { Decision, DenyDecision } from './decision.ts';
import type { VerifierOptions } from './verifier-options.ts';

const rsa = testKey('RS256', 'rsa-1');
const ec = testKey('ES256', 'ec-1');
const app = testKey('ES256', 'app-1');
const ISSUER = 'https://127.0.0.1:8443/realms/acme';
const AUDIENCE = 'finance-api';

const claims = (extra: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  aud: AUDIENCE,
  sub: 'service-account-uuid',
  azp: AGENT,
  typ: 'Bearer',
  iat: NOW - 10,
  exp: NOW + 290,
  realm_access: { roles: ['finance.read'] },
  act: human,
  delegation,
  agbac_ver: '1.0',
  ...extra,
});

// Keycloak with the act mapper refuses unapproved humans when it issues the token, so these tests
// (about the token, not the human) trust it; the human checks have their own tests.
function verifier(overrides: Partial<VerifierOptions> = {}, events: AuditEvent[] = []) {
  return createVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: { keys: [rsa.publicJwk, ec.publicJwk] },
    vendor: 'keycloak',
    layout: 'agbac',
    humanAuthorizedByIdp: true,
    clock: () => NOW_MS,
    audit: (event) => void events.push(event),
    ...overrides,
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function expectDenied(decision: Decision, code: DenyDecision['code'], reason?: RegExp): DenyDecision {
  if (decision.allow) throw new Error('expected a denial');
  expect(decision.code).toBe(code);
  if (reason !== undefined) expect(decision.reason).toMatch(reason);
  return decision;
}

describe('createVerifier: a valid AGBAC token', () => {
  it('allows, normalizes both subjects and emits one audit event with every field', async () => {
    const events: AuditEvent[] = [];
    const decision = await verifier({}, events).verify(
      { ...bearer(mint(rsa, claims())), method: 'GET', path: '/reports?q=secret', requestId: 'req-42' },
      { agentRoles: ['finance.read'] },
    );
    expect(decision.allow).toBe(true);
    if (!decision.allow) return;
    expect(decision.agent).toEqual({ id: AGENT, roles: ['finance.read'], scopes: [] });
    expect(decision.human.id).toBe(HUMAN);
    expect(decision.delegation).toEqual({
      method: 'explicit',
      grantedAt: NOW - 60,
      intentSummary: 'Summarise Q4 finance report',
    });
    expect(decision.chain).toEqual([AGENT]);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({
      id: decision.auditEventId,
      timestamp: '2026-11-23T12:00:00.000Z',
      correlationId: 'req-42',
      agentId: AGENT,
      humanId: HUMAN,
      action: 'GET',
      resource: '/reports',
      delegationType: 'explicit',
      delegationContext: {
        grantedAt: NOW - 60,
        intentSummary: 'Summarise Q4 finance report',
        chain: [AGENT],
      },
      decision: 'allow',
      reason: 'allowed',
    });
  });

  it('accepts Request and Headers inputs and takes the correlation id from traceparent', async () => {
    const events: AuditEvent[] = [];
    const token = mint(rsa, claims());
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const request = new Request('https://api.example/reports/q4?x=1', {
      headers: { authorization: `Bearer ${token}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    const v = verifier({}, events);
    expect((await v.verify(request)).allow).toBe(true);
    expect(events[0]).toMatchObject({ correlationId: traceId, action: 'GET', resource: '/reports/q4' });
    expect((await v.verify(new Headers({ authorization: `bearer ${token}` }))).allow).toBe(true);
    expect(events[1]?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('masks an email in the audited path, also when it is percent-encoded', async () => {
    const events: AuditEvent[] = [];
    const token = mint(rsa, claims());
    const v = verifier({}, events);
    await v.verify({ ...bearer(token), method: 'GET', path: '/users/alice%40example.com/reports' });
    await v.verify({ ...bearer(token), method: 'GET', path: '/users/bob@example.com/reports' });
    expect(JSON.stringify(events)).not.toMatch(/alice|bob|example\.com/);
    expect(events).toHaveLength(2);
  });

  it('verifies ES256, PS256 and EdDSA tokens with keys of their type', async () => {
    const ps = testKey('PS256', 'ps-1');
    const ed = testKey('EdDSA', 'ed-1');
    const es384 = testKey('ES384', 'es384-1');
    const v = verifier({
      keys: [ec.publicJwk, { ...ps.publicJwk, alg: 'PS256' }, ed.publicKey, es384.publicJwk],
    });
    for (const key of [ec, ps, ed, es384]) {
      const token = mint(key, claims(), key === ed ? { kid: undefined } : {});
      expect((await v.verify(bearer(token))).allow, key.alg).toBe(true);
    }
  });

  it('accepts a PEM public key', async () => {
    const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    expect(
      (await verifier({ keys: pem }).verify(bearer(mint(rsa, claims(), { kid: undefined })))).allow,
    ).toBe(true);
  });
});

describe('createVerifier: access token rejection cases (SECURITY.md)', () => {
  const v = verifier();
  const good = mint(rsa, claims());
  const [h, p, s] = good.split('.') as [string, string, string];
  const header = (extra: Record<string, unknown>) =>
    JSON.stringify({ alg: 'RS256', kid: 'rsa-1', typ: 'JWT', ...extra });
  const payload = JSON.stringify(claims());

  // Every access token case below is a `token_invalid` (401).
  const cases: [string, () => string | undefined, RegExp][] = [
    ['no Authorization header', () => undefined, /no bearer token/],
    ['alg none', () => signRaw(header({ alg: 'none' }), payload, rsa, 'none'), /empty segment/],
    ['alg none with a signature', () => `${b64(header({ alg: 'none' }))}.${p}.${s}`, /algorithm/],
    [
      'HS256 with the RSA public key as secret',
      () => signRaw(header({ alg: 'HS256' }), payload, rsa, 'HS256'),
      /algorithm/,
    ],
    [
      'RS256 header on an EC key (alg/key type mismatch)',
      () => signRaw(header({ alg: 'RS256', kid: 'ec-1' }), payload, rsa, 'RS256'),
      /no key fits|signature/,
    ],
    [
      'ES256 header on the RSA kid',
      () => signRaw(header({ alg: 'ES256', kid: 'rsa-1' }), payload, ec, 'ES256'),
      /no key fits|signature/,
    ],
    [
      'alg not in the allow-list (RS512)',
      () => signRaw(header({ alg: 'RS512' }), payload, rsa, 'RS256'),
      /algorithm/,
    ],
    ['bad signature', () => `${h}.${p}.${s.slice(0, -4)}AAAA`, /signature/],
    [
      'signature of another token',
      () => `${h}.${p}.${mint(rsa, claims({ jti: 'other' })).split('.')[2]}`,
      /signature/,
    ],
    [
      'payload swapped under a valid signature',
      () => `${h}.${b64(JSON.stringify(claims({ sub: 'x' })))}.${s}`,
      /signature/,
    ],
    ['truncated (two segments)', () => `${h}.${p}`, /three segments/],
    ['extra segment', () => `${good}.${s}`, /three segments/],
    ['empty token', () => '', /bearer token|not a Bearer/],
    ['empty signature segment', () => `${h}.${p}.`, /empty segment/],
    ['non-base64url characters', () => `${h}.${p.slice(0, 10)}+/=${p.slice(10)}.${s}`, /base64url|signature/],
    // The same signature bytes spelled with the base64 (not base64url) alphabet, padding or a
    // non-ASCII look-alike: decoders that are lenient would accept these.
    [
      'base64 alphabet in the signature',
      () => `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}`,
      /base64url/,
    ],
    ['padding on the signature', () => `${h}.${p}.${s}==`, /base64url/],
    ['non-ASCII look-alike in the signature', () => `${h}.${p}.${s.slice(0, -1)}\u0141`, /base64url/],
    ['whitespace in the payload', () => `${h}.${p.slice(0, 8)} ${p.slice(8)}.${s}`, /base64url|signature/],
    ['header is not a JSON object', () => signRaw('[1,2]', payload, rsa), /header is not a JSON object/],
    ['header is not JSON', () => `${b64('{alg:RS256')}.${p}.${s}`, /header is not a JSON object/],
    [
      'payload is not a JSON object',
      () => signRaw(header({}), '"just a string"', rsa),
      /payload is not a JSON object/,
    ],
    ['payload is null', () => signRaw(header({}), 'null', rsa), /payload is not a JSON object/],
    [
      'duplicate payload key (sub twice)',
      () => signRaw(header({}), payload.replace('{', '{"azp":"evil-agent",'), rsa),
      /payload is not a JSON object/,
    ],
    [
      'duplicate key spelled with an escape',
      () => signRaw(header({}), payload.replace('{', '{"\\u0061zp":"evil-agent",'), rsa),
      /payload is not a JSON object/,
    ],
    [
      'duplicate header key (alg twice)',
      () => signRaw(`{"alg":"none",${header({}).slice(1)}`, payload, rsa),
      /header is not a JSON object/,
    ],
    [
      '__proto__ in the payload',
      () => signRaw(header({}), payload.replace('{', '{"__proto__":{"admin":true},'), rsa),
      /payload is not a JSON object/,
    ],
    [
      '__proto__ nested in act',
      () =>
        signRaw(header({}), JSON.stringify(claims()).replace('"act":{', '"act":{"__proto__":{"x":1},'), rsa),
      /payload is not a JSON object/,
    ],
    [
      'invalid UTF-8 in the payload',
      () => `${h}.${Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64url')}.${s}`,
      /payload is not a JSON object|signature/,
    ],
    ['unknown kid (static keys)', () => mint(rsa, claims(), { kid: 'nope' }), /no key fits/],
    ['kid path injection', () => mint(rsa, claims(), { kid: '../../etc/passwd' }), /no key fits/],
    [
      'kid URL injection',
      () => mint(rsa, claims(), { kid: 'https://evil.example/jwks.json' }),
      /no key fits/,
    ],
    ['kid not a string', () => mint(rsa, claims(), { kid: 7 }), /kid is malformed/],
    ['jku header', () => mint(rsa, claims(), { jku: 'https://evil.example/jwks' }), /jku header/],
    ['x5u header', () => mint(rsa, claims(), { x5u: 'https://evil.example/cert' }), /x5u header/],
    ['embedded jwk header', () => mint(rsa, claims(), { jwk: rsa.publicJwk }), /jwk header/],
    ['x5c header', () => mint(rsa, claims(), { x5c: ['MIIB'] }), /x5c header/],
    ['crit header', () => mint(rsa, claims(), { crit: ['exp'], exp: 1 }), /crit/],
    [
      'typ act+jwt (an act JWT as access token)',
      () => mint(rsa, claims(), { typ: 'act+jwt' }),
      /act JWT or act assertion/,
    ],
    [
      'typ act-assertion+jwt',
      () => mint(rsa, claims(), { typ: 'application/act-assertion+jwt' }),
      /act JWT or act assertion/,
    ],
    ['typ not accepted (dpop+jwt)', () => mint(rsa, claims(), { typ: 'dpop+jwt' }), /typ is not accepted/],
    [
      'Keycloak ID token (payload typ ID)',
      () => mint(rsa, claims({ typ: 'ID' })),
      /not a Keycloak access token/,
    ],
    ['ID token (at_hash)', () => mint(rsa, claims({ typ: undefined, at_hash: 'x' })), /ID token/],
    ['iss mismatch', () => mint(rsa, claims({ iss: 'https://evil.example/realms/acme' })), /issuer/],
    ['iss with a trailing slash', () => mint(rsa, claims({ iss: `${ISSUER}/` })), /issuer/],
    ['iss missing', () => mint(rsa, claims({ iss: undefined })), /issuer/],
    ['aud mismatch', () => mint(rsa, claims({ aud: 'other-api' })), /audience is not accepted/],
    ['aud missing', () => mint(rsa, claims({ aud: undefined })), /audience is missing/],
    ['aud array without ours', () => mint(rsa, claims({ aud: ['a', 'b'] })), /audience/],
    ['exp missing', () => mint(rsa, claims({ exp: undefined })), /exp is missing/],
    ['exp not a number', () => mint(rsa, claims({ exp: String(NOW + 100) })), /exp is not a number/],
    ['exp past beyond skew', () => mint(rsa, claims({ exp: NOW - 31 })), /expired/],
    ['nbf in the future beyond skew', () => mint(rsa, claims({ nbf: NOW + 31 })), /nbf/],
    ['iat in the future beyond skew', () => mint(rsa, claims({ iat: NOW + 31 })), /iat/],
    ['iat missing', () => mint(rsa, claims({ iat: undefined })), /iat is missing/],
    ['lifetime above the maximum', () => mint(rsa, claims({ iat: NOW - 10, exp: NOW + 86_400 })), /lifetime/],
    ['oversized token (refused before parsing)', () => `${'a'.repeat(20_000)}.b.c`, /too large/],
    ['AGBAC: act missing', () => mint(rsa, claims({ act: undefined })), /act claim missing/],
    ['AGBAC: act not an object', () => mint(rsa, claims({ act: 'alice' })), /act claim is not an object/],
    ['AGBAC: act.sub empty', () => mint(rsa, claims({ act: { sub: '' } })), /act claim is malformed/],
    [
      'AGBAC: act.sub missing',
      () => mint(rsa, claims({ act: { email: 'a@b.example' } })),
      /act claim is malformed/,
    ],
    [
      'AGBAC: oversized act.sub',
      () => mint(rsa, claims({ act: { sub: 'x'.repeat(300) } })),
      /act claim is malformed/,
    ],
    [
      'AGBAC: act.sub is an email, not an IAM id',
      () => mint(rsa, claims({ act: { sub: 'alice@example.com' } })),
      /email address/,
    ],
    ['AGBAC: agent claim missing', () => mint(rsa, claims({ azp: undefined })), /names no agent/],
    ['AGBAC: agbac_ver unknown', () => mint(rsa, claims({ agbac_ver: '2.0' })), /agbac_ver/],
    [
      'layout confusion: RFC 8693 token where AGBAC is configured',
      () => mint(rsa, claims({ sub: HUMAN, act: { sub: AGENT } })),
      /RFC 8693 layout/,
    ],
    [
      'layout confusion: RFC 8693 act with client_id',
      () => mint(rsa, claims({ sub: HUMAN, act: { client_id: AGENT, sub: AGENT } })),
      /RFC 8693 layout/,
    ],
    [
      'layout confusion: nested act chain in AGBAC act',
      () => mint(rsa, claims({ act: { sub: HUMAN, act: { sub: 'x' } } })),
      /RFC 8693 layout/,
    ],
  ];

  it.each(cases.map(([name, build, reason]) => [name, reason, build] as const))(
    '%s → token_invalid',
    async (_name, reason, build) => {
      const token = build();
      const decision = await v.verify(token === undefined ? {} : bearer(token));
      const denied = expectDenied(decision, 'token_invalid', reason);
      expect(denied.status).toBe(401);
      expect(denied.subjects.agent.ok).toBe(false);
    },
  );

  it('refuses an oversized Authorization header before parsing', async () => {
    expectDenied(
      await v.verify({ authorization: `Bearer ${'a'.repeat(40_000)}` }),
      'token_invalid',
      /header is too large/,
    );
  });

  it('refuses a non-Bearer scheme', async () => {
    expectDenied(await v.verify({ authorization: `Basic ${good}` }), 'token_invalid', /not a Bearer token/);
  });

  it('answers the missing-token case with the RFC 6750 no-error reason', async () => {
    expect(expectDenied(await v.verify({}), 'token_invalid').reason).toBe(MISSING_TOKEN_REASON);
  });

  it('accepts within the skew and refuses just beyond it', async () => {
    expect((await v.verify(bearer(mint(rsa, claims({ exp: NOW - 29 }))))).allow).toBe(true);
    expect((await v.verify(bearer(mint(rsa, claims({ nbf: NOW + 29, iat: NOW + 29 }))))).allow).toBe(true);
    expectDenied(await v.verify(bearer(mint(rsa, claims({ exp: NOW - 30 })))), 'token_invalid', /expired/);
  });

  it('applies a configured algorithm allow-list', async () => {
    const onlyEc = verifier({ algorithms: ['ES256'], keys: [ec.publicJwk] });
    expectDenied(await onlyEc.verify(bearer(good)), 'token_invalid', /algorithm/);
    expect((await onlyEc.verify(bearer(mint(ec, claims())))).allow).toBe(true);
  });
});

describe('createVerifier: the verified-token cache', () => {
  it('never serves a cached verification past exp (checked every call)', async () => {
    const clock = createManualClock(NOW_MS);
    const v = verifier({ clock: clock.now, clockSkewSeconds: 0 });
    const token = mint(rsa, claims({ exp: NOW + 5 }));
    expect((await v.verify(bearer(token))).allow).toBe(true);
    clock.advance(4_000);
    expect((await v.verify(bearer(token))).allow).toBe(true);
    clock.advance(1_000);
    expectDenied(await v.verify(bearer(token)), 'token_invalid', /expired/);
  });

  it('re-verifies after the cache age and bounds its size', async () => {
    const clock = createManualClock(NOW_MS);
    const v = verifier({ clock: clock.now, cache: { maxEntries: 2, maxAgeSeconds: 1 } });
    const tokens = [1, 2, 3].map((jti) => mint(rsa, claims({ jti: String(jti) })));
    for (const token of tokens) expect((await v.verify(bearer(token))).allow).toBe(true);
    clock.advance(2_000);
    for (const token of tokens) expect((await v.verify(bearer(token))).allow).toBe(true);
  });

  it('never serves a cached verification to another token with the same ending (full-string match)', async () => {
    const v = verifier();
    const token = mint(rsa, claims());
    const [, , signature] = token.split('.');
    const forged = `${mint(rsa, claims({ azp: 'evil-agent' }))
      .split('.')
      .slice(0, 2)
      .join('.')}.${signature}`;
    expect(forged.slice(-48)).toBe(token.slice(-48));
    expect((await v.verify(bearer(token))).allow).toBe(true);
    expectDenied(await v.verify(bearer(forged)), 'token_invalid', /signature/);
    expect((await v.verify(bearer(token))).allow).toBe(true);
  });

  it('shares no mutable object between decisions: claims, act, delegation and agent are frozen', async () => {
    const seen: unknown[] = [];
    const v = verifier({
      policy: (context) => {
        // A careless policy tries to rewrite what it was shown; strict mode makes each write throw.
        for (const write of [
          () => Object.assign(context.claims as object, { azp: 'evil-agent' }),
          () => Object.assign(context.claims.act as object, { sub: 'someone-else' }),
          () => Object.assign(context.human.act as object, { sub: 'someone-else' }),
          () => Object.assign(context.delegation as object, { expiresAt: 1 }),
          () => Object.assign(context.agent, { id: 'evil-agent' }),
          () => (context.chain as string[]).push('evil-agent'),
          () => (context.agent.roles as string[]).push('payroll.write'),
        ]) {
          try {
            write();
            seen.push('written');
          } catch (error) {
            seen.push(error instanceof TypeError ? 'refused' : error);
          }
        }
        return {};
      },
    });
    const token = mint(rsa, claims());
    const first = await v.verify(bearer(token));
    expect(seen).toEqual(Array.from({ length: 7 }, () => 'refused'));
    if (!first.allow) throw new Error('expected an allow');
    expect(() => {
      (first.claims as Record<string, unknown>).azp = 'evil-agent';
    }).toThrow(TypeError);
    expect(() => {
      (first.human.act as unknown as Record<string, unknown>).sub = 'someone-else';
    }).toThrow(TypeError);
    // The next decision, from the cache and from another token with the same act, is unchanged.
    for (const next of [token, mint(rsa, claims({ jti: 'other' }))]) {
      const decision = await v.verify(bearer(next));
      if (!decision.allow) throw new Error('expected an allow');
      expect(decision.agent.id).toBe(AGENT);
      expect(decision.human.id).toBe(HUMAN);
      expect(decision.human.act?.sub).toBe(HUMAN);
      expect(decision.claims.azp).toBe(AGENT);
      expect(decision.delegation?.expiresAt).toBeUndefined();
      expect(decision.chain).toEqual([AGENT]);
    }
  });

  it('hands out a frozen copy of the human authorizer’s answer', async () => {
    const roles = ['finance'];
    const v = verifier({ humanAuthorizer: async () => ({ roles }) });
    const token = mint(rsa, claims());
    const first = await v.verify(bearer(token), { humanRoles: ['finance'] });
    expect(first.allow).toBe(true);
    if (!first.allow) throw new Error('expected an allow');
    expect(() => (first.human.roles as string[]).push('payroll')).toThrow(TypeError);
    roles.push('payroll');
    expectDenied(await v.verify(bearer(token), { humanRoles: ['payroll'] }), 'human_denied', /payroll/);
  });

  it('still evaluates per-route requirements on a cached token', async () => {
    const v = verifier();
    const token = mint(rsa, claims());
    expect((await v.verify(bearer(token), { agentRoles: ['finance.read'] })).allow).toBe(true);
    expectDenied(
      await v.verify(bearer(token), { agentRoles: ['payroll.write'] }),
      'agent_denied',
      /payroll.write/,
    );
  });
});

describe('createVerifier: policy', () => {
  const humans = createStaticHumanAuthorizer({
    [HUMAN]: { roles: ['finance'], agents: [AGENT] },
    'bob-uuid': { roles: [], agents: ['other-agent'] },
  });

  it('evaluates agent, human and delegation independently and reports each', async () => {
    const v = verifier({ humanAuthorizer: humans });
    const token = mint(
      rsa,
      claims({ realm_access: { roles: [] }, delegation: { ...delegation, method: 'bogus' } }),
    );
    const decision = expectDenied(
      await v.verify(bearer(token), { agentRoles: ['finance.read'], humanRoles: ['payroll'] }),
      'agent_denied',
    );
    expect(decision.status).toBe(403);
    expect(decision.subjects.agent).toEqual({ ok: false, reason: 'the agent lacks role finance.read' });
    expect(decision.subjects.human).toEqual({
      ok: false,
      reason: 'the human lacks role payroll',
      checkedBy: 'roles',
    });
    expect(decision.subjects.delegation.ok).toBe(false);
    expect(decision.subjects.delegation.reason).toMatch(/delegation claim invalid \(method/);
  });

  it('denies a human unknown to the authorizer, and a human who may not delegate to this agent', async () => {
    const v = verifier({ humanAuthorizer: humans });
    const stranger = mint(rsa, claims({ act: { sub: 'mallory-uuid' } }));
    expectDenied(await v.verify(bearer(stranger)), 'human_denied', /unknown to the human authorizer/);
    const bob = mint(rsa, claims({ act: { sub: 'bob-uuid' } }));
    expectDenied(await v.verify(bearer(bob)), 'delegation_invalid', /may not delegate to this agent/);
    expect((await v.verify(bearer(mint(rsa, claims())), { humanRoles: ['finance'] })).allow).toBe(true);
  });

  it('caches the human authorizer per human and answers 503 when it fails', async () => {
    let calls = 0;
    const v = verifier({
      humanAuthorizer: async ({ humanId }) => {
        calls++;
        if (humanId === 'down') throw new Error('directory down');
        return { roles: ['finance'] };
      },
    });
    for (let index = 0; index < 3; index++) {
      expect(
        (await v.verify(bearer(mint(rsa, claims({ jti: String(index) }))), { humanRoles: ['finance'] }))
          .allow,
      ).toBe(true);
    }
    expect(calls).toBe(1);
    const decision = expectDenied(
      await v.verify(bearer(mint(rsa, claims({ act: { sub: 'down' } })))),
      'idp_unavailable',
    );
    expect(decision.status).toBe(503);
  });

  it('reads human roles from a claim', async () => {
    const v = verifier({ humanRolesClaim: 'roles' });
    const token = mint(rsa, claims({ act: { ...human, roles: ['finance'] } }));
    expect((await v.verify(bearer(token), { humanRoles: ['finance'] })).allow).toBe(true);
    expectDenied(await v.verify(bearer(token), { humanRoles: ['hr'] }), 'human_denied', /lacks role hr/);
  });

  it.each([
    ['missing', { delegation: undefined }, /delegation claim missing/],
    ['expired', { delegation: { ...delegation, expires_at: NOW - 31 } }, /delegation has expired/],
    [
      'granted in the future',
      { delegation: { ...delegation, granted_at: NOW + 31 } },
      /granted in the future/,
    ],
    [
      'method not accepted',
      { delegation: { ...delegation, method: 'implicit' } },
      /method implicit is not accepted/,
    ],
    ['malformed', { delegation: { method: 'explicit' } }, /delegation claim invalid/],
  ])('denies a delegation that is %s with delegation_invalid', async (_name, extra, reason) => {
    const v = verifier({ delegationMethods: ['explicit', 'system'] });
    expectDenied(await v.verify(bearer(mint(rsa, claims(extra)))), 'delegation_invalid', reason);
  });

  it('AND-s a custom policy with the built-in checks, and fails closed when it throws', async () => {
    const token = mint(rsa, claims());
    const restrictive = verifier({
      policy: ({ resource }) =>
        resource.startsWith('/payroll') ? { agent: { ok: false, reason: 'payroll is off limits' } } : {},
    });
    expect((await restrictive.verify({ ...bearer(token), path: '/reports' })).allow).toBe(true);
    expectDenied(
      await restrictive.verify({ ...bearer(token), path: '/payroll' }),
      'agent_denied',
      /off limits/,
    );
    const permissive = verifier({ policy: () => ({ agent: { ok: true, reason: 'sure' } }) });
    expectDenied(
      await permissive.verify(bearer(token), { agentRoles: ['x'] }),
      'agent_denied',
      /lacks role x/,
    );
    const broken = verifier({
      policy: () => {
        throw new Error('bug');
      },
    });
    expectDenied(await broken.verify(bearer(token)), 'agent_denied', /policy function failed/);
  });

  it('awaits a policy that returns a foreign promise, and fails closed when it returns no verdicts', async () => {
    const token = mint(rsa, claims());
    // A thenable that is not a native Promise, as a promise library or another realm would return.
    const deny = { agent: { ok: false, reason: 'denied by a thenable' } } as const;
    const thenable = verifier({
      // biome-ignore lint/suspicious/noThenProperty: the point of the test is a non-native thenable.
      policy: () => ({ then: (resolve: (value: typeof deny) => void) => resolve(deny) }) as never,
    });
    expectDenied(await thenable.verify(bearer(token)), 'agent_denied', /denied by a thenable/);
    const empty = verifier({ policy: () => undefined as never });
    expectDenied(await empty.verify(bearer(token)), 'agent_denied', /policy function failed/);
  });
});

/** An `act` claim of `depth` actors, `actor-1` (the current one) outermost. */
function nestedActors(depth: number, index = 1): Record<string, unknown> {
  return index === depth
    ? { sub: `actor-${index}` }
    : { sub: `actor-${index}`, act: nestedActors(depth, index + 1) };
}

describe('createVerifier: RFC 8693 layout', () => {
  const rfc = (extra: Record<string, unknown> = {}) =>
    claims({ sub: HUMAN, act: { sub: AGENT }, delegation: undefined, agbac_ver: undefined, ...extra });
  const v = verifier({ layout: 'rfc8693' });

  it('reads the human from sub and the agent (and chain) from act', async () => {
    const token = mint(rsa, rfc({ act: { client_id: AGENT, act: { sub: 'orchestrator' } } }));
    const decision = await v.verify(bearer(token));
    expect(decision.allow).toBe(true);
    if (decision.allow) {
      expect(decision.human.id).toBe(HUMAN);
      expect(decision.agent.id).toBe(AGENT);
      expect(decision.chain).toEqual([AGENT, 'orchestrator']);
    }
  });

  it.each([
    ['act missing', rfc({ act: undefined }), /no act claim/],
    [
      'chain nested far past the limit (read no further)',
      rfc({ act: nestedActors(11) }),
      /deeper than allowed/,
    ],
    ['AGBAC token (agbac_ver)', claims(), /AGBAC layout/],
    ['AGBAC act with a human in it', rfc({ act: human, sub: 'service-account-uuid' }), /describes a human/],
    ['actor without id', rfc({ act: { foo: 1 } }), /names no actor/],
    ['sub names the agent', rfc({ sub: AGENT }), /sub names the agent/],
  ])('denies %s with token_invalid', async (_name, payload, reason) => {
    const limited = verifier({ layout: 'rfc8693', limits: { maxChainDepth: 2 } });
    expectDenied(await limited.verify(bearer(mint(rsa, payload))), 'token_invalid', reason);
  });

  it('denies a chain deeper than limits.maxChainDepth with delegation_invalid, naming agent and human', async () => {
    const limited = verifier({ layout: 'rfc8693', limits: { maxChainDepth: 2 } });
    const decision = expectDenied(
      await limited.verify(bearer(mint(rsa, rfc({ act: nestedActors(3) })))),
      'delegation_invalid',
      /3 actors deep, more than the 2 allowed/,
    );
    expect(decision.agent?.id).toBe('actor-1');
    expect(decision.human?.id).toBe(HUMAN);
  });
});

describe('createVerifier: hybrid layout and act assertion rejection cases', () => {
  const agentClaims = (extra: Record<string, unknown> = {}) =>
    claims({ act: undefined, delegation: undefined, agbac_ver: undefined, ...extra });
  // The IdP never sees the human in the hybrid layout: the application's directory checks it.
  const hybrid = (overrides: Partial<VerifierOptions> = {}) =>
    verifier({
      layout: 'hybrid',
      hybrid: { keys: [app.publicJwk], issuer: 'https://app.acme.example' },
      humanAuthorizedByIdp: false,
      humanAuthorizer: createStaticHumanAuthorizer({ [HUMAN]: { roles: ['finance'], agents: [AGENT] } }),
      ...overrides,
    });
  const token = mint(rsa, agentClaims());
  const assertion = (
    extra: Record<string, unknown> = {},
    header: Record<string, unknown> = {},
    forToken = token,
  ) => actAssertion(app, forToken, { clientId: AGENT, audience: AUDIENCE, claims: extra, header });

  it('allows a token with its bound assertion and reads the human from it', async () => {
    const decision = await hybrid().verify({ authorization: `Bearer ${token}`, actAssertion: assertion() });
    expect(decision.allow).toBe(true);
    if (decision.allow) {
      expect(decision.human.id).toBe(HUMAN);
      expect(decision.agent.id).toBe(AGENT);
      expect(decision.delegation?.method).toBe('explicit');
    }
  });

  const other = mint(rsa, agentClaims({ jti: 'another-token' }));
  const otherAgentToken = mint(rsa, agentClaims({ azp: 'other-agent' }));
  const cases: [string, () => { token: string; assertion: string | undefined }, RegExp][] = [
    ['no assertion', () => ({ token, assertion: undefined }), /no act assertion/],
    [
      'bound to another access token (ath)',
      () => ({ token, assertion: assertion({}, {}, other) }),
      /another access token/,
    ],
    [
      'bound to another agent (client_id)',
      () => ({ token, assertion: assertion({ client_id: 'other-agent' }) }),
      /another agent/,
    ],
    [
      'reused with another agent’s token',
      () => ({ token: otherAgentToken, assertion: assertion() }),
      /another access token|another agent/,
    ],
    ['wrong typ (act+jwt)', () => ({ token, assertion: assertion({}, { typ: 'act+jwt' }) }), /typ/],
    ['typ JWT', () => ({ token, assertion: assertion({}, { typ: 'JWT' }) }), /typ/],
    [
      'signed by the IdP key instead of the app',
      () => ({ token, assertion: actAssertion(rsa, token, { clientId: AGENT, audience: AUDIENCE }) }),
      /no key fits|signature/,
    ],
    ['bad signature', () => ({ token, assertion: `${assertion().slice(0, -4)}AAAA` }), /signature/],
    [
      'alg none',
      () => ({
        token,
        assertion: `${signRaw('{"alg":"none","typ":"act-assertion+jwt"}', '{}', app, 'none')}e30`,
      }),
      /algorithm/,
    ],
    ['iss mismatch', () => ({ token, assertion: assertion({ iss: 'https://evil.example' }) }), /issuer/],
    ['aud mismatch', () => ({ token, assertion: assertion({ aud: 'other-api' }) }), /audience/],
    ['expired', () => ({ token, assertion: assertion({ exp: NOW - 31 }) }), /expired/],
    [
      'lifetime over 300 s',
      () => ({ token, assertion: assertion({ iat: NOW - 10, exp: NOW + 600 }) }),
      /lifetime/,
    ],
    ['jti missing', () => ({ token, assertion: assertion({ jti: undefined }) }), /jti/],
    ['ath missing', () => ({ token, assertion: assertion({ ath: undefined }) }), /not bound/],
    ['act missing', () => ({ token, assertion: assertion({ act: undefined }) }), /act claim missing/],
    ['act.sub empty', () => ({ token, assertion: assertion({ act: { sub: '' } }) }), /malformed/],
    ['agbac_ver missing', () => ({ token, assertion: assertion({ agbac_ver: undefined }) }), /agbac_ver/],
    ['oversized assertion', () => ({ token, assertion: `${'a'.repeat(9_000)}.b.c` }), /too large/],
    [
      'human equals the agent',
      () => ({ token, assertion: assertion({ act: { sub: AGENT } }) }),
      /names the agent/,
    ],
    [
      'access token already carries a human (ambiguous)',
      () => {
        const withAct = mint(rsa, agentClaims({ act: human }));
        return { token: withAct, assertion: assertion({}, {}, withAct) };
      },
      /hybrid layout expects a plain agent token/,
    ],
  ];

  it.each(cases.map(([name, build, reason]) => [name, reason, build] as const))(
    '%s → token_invalid',
    async (_name, reason, build) => {
      const { token: accessToken, assertion: actAssertionValue } = build();
      const decision = expectDenied(
        await hybrid().verify({ authorization: `Bearer ${accessToken}`, actAssertion: actAssertionValue }),
        'token_invalid',
        reason,
      );
      expect(decision.status).toBe(401);
    },
  );

  it('names the verified agent in the decision and audit event when the act assertion fails', async () => {
    const events: AuditEvent[] = [];
    const v = hybrid({ audit: (event) => void events.push(event) });
    const refused = [
      await v.verify({ authorization: `Bearer ${token}`, actAssertion: assertion({}, {}, other) }),
      await v.verify({ authorization: `Bearer ${token}` }),
      await v.verify({ authorization: `Bearer ${token}`, actAssertion: assertion({ exp: NOW - 31 }) }),
    ];
    for (const decision of refused) expect(expectDenied(decision, 'token_invalid').agent?.id).toBe(AGENT);
    expect(events.map((event) => [event.decision, event.agentId])).toEqual([
      ['deny', AGENT],
      ['deny', AGENT],
      ['deny', AGENT],
    ]);
    // An access token that fails verification names no agent.
    events.length = 0;
    const forged = await v.verify({
      authorization: `Bearer ${token.slice(0, -4)}AAAA`,
      actAssertion: assertion(),
    });
    expect(expectDenied(forged, 'token_invalid').agent).toBeUndefined();
    expect(events[0]?.agentId).toBeUndefined();
  });

  it('names the agent when the human authorizer fails, for each of several waiting requests', async () => {
    const events: AuditEvent[] = [];
    const v = verifier({
      humanAuthorizer: async () => {
        throw new Error('directory down');
      },
      audit: (event) => void events.push(event),
    });
    const tokens = [mint(rsa, claims()), mint(rsa, claims({ azp: 'other-agent' }))];
    const decisions = await Promise.all(tokens.map((item) => v.verify(bearer(item))));
    expect(decisions.map((decision) => expectDenied(decision, 'idp_unavailable').agent?.id)).toEqual([
      AGENT,
      'other-agent',
    ]);
    expect(events.map((event) => event.agentId)).toEqual([AGENT, 'other-agent']);
  });

  it('requires hybrid.issuer and exactly one key source for assertions', () => {
    expect(() => hybrid({ hybrid: { keys: [app.publicJwk] } as never })).toThrow(
      new TypeError('hybrid.issuer is required'),
    );
    expect(() => hybrid({ hybrid: { issuer: 'https://app.acme.example' } })).toThrow(
      new TypeError('exactly one of hybrid.keys and hybrid.jwksUri is required'),
    );
  });

  it('takes the hybrid options as one object, only with the hybrid layout', () => {
    expect(() => hybrid({ hybrid: undefined } as never)).toThrow(
      new TypeError('hybrid: { keys or jwksUri, issuer } is required with layout hybrid'),
    );
    expect(() =>
      hybrid({ layout: 'agbac', humanAuthorizedByIdp: true, hybrid: { keys: [app.publicJwk], issuer: 'x' } }),
    ).toThrow(new TypeError('hybrid is only for layout hybrid (layout is agbac)'));
  });

  it.each([
    ['actAssertionKeys', 'hybrid.keys'],
    ['actAssertionJwksUri', 'hybrid.jwksUri'],
    ['actAssertionIssuer', 'hybrid.issuer'],
    ['actAssertionAudience', 'hybrid.audience'],
  ])('refuses the pre-0.2 option %s with a TypeError naming %s', (old, current) => {
    expect(() => hybrid({ [old]: 'x' } as Partial<VerifierOptions>)).toThrow(
      new TypeError(`createVerifier: ${old} was renamed ${current}`),
    );
  });
});

describe('createVerifier: misuse throws TypeError at construction', () => {
  it.each([
    ['no issuer', { issuer: [] }],
    ['unknown layout', { layout: 'auto' }],
    ['unknown vendor', { vendor: 'ping' }],
    ['both keys and jwksUri', { jwksUri: 'https://127.0.0.1/jwks' }],
    ['http JWKS without the loopback opt-in', { keys: undefined, jwksUri: 'http://127.0.0.1/jwks' }],
    [
      'http JWKS off loopback',
      { keys: undefined, jwksUri: 'http://idp.example/jwks', allowInsecureLoopback: true },
    ],
    ['HS256 allowed', { algorithms: ['HS256'] }],
    ['a private key', { keys: rsa.privateKey }],
    ['a private JWK', { keys: rsa.privateKey.export({ format: 'jwk' }) }],
    ['skew over 300 s', { clockSkewSeconds: 301 }],
    ['bad cache size', { cache: { maxEntries: 0 } }],
  ])('%s', (_name, overrides) => {
    expect(() => verifier(overrides as Partial<VerifierOptions>)).toThrow(TypeError);
  });
});
