import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';
import {
  keycloakActMapperSource,
  keycloakScriptsDescriptor,
  runKeycloakActMapper,
} from './keycloak-act-mapper.ts';
import { createKeycloakScriptApi, type KeycloakUserRecord } from './keycloak-script-api.ts';

const jwtBearer = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const agent = 'dual-auth-agent';
const now = 1_767_225_600;

const alice: KeycloakUserRecord = {
  id: '5b0c3a8e-1f0e-4c7e-9d59-6c1f3f0f2a11',
  email: 'alice@example.com',
  firstName: 'Alice',
  lastName: 'Approved',
  realmRoles: ['dual-auth-human', 'offline_access'],
  attributes: { dual_auth_approved_agents: ['other-agent', agent] },
};
const bob: KeycloakUserRecord = { ...alice, id: 'b0b-0000', realmRoles: ['staff'] };
const carol: KeycloakUserRecord = { ...alice, id: 'ca201-0000', attributes: {} };
const dave: KeycloakUserRecord = { ...alice, id: 'dave-0000', enabled: false };
const erin: KeycloakUserRecord = {
  ...alice,
  id: 'erin-0000',
  attributes: { dual_auth_approved_agents: ['other-agent'] },
};

function encode(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');
}

function assertion(payload: unknown): string {
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}.c2lnbmF0dXJl`;
}

function claimsFor(act: unknown, extra: Record<string, unknown> = {}) {
  return {
    iss: agent,
    sub: agent,
    aud: 'https://kc.example.com/realms/dual-auth',
    jti: 'j-1',
    exp: now + 60,
    act,
    delegation: { method: 'explicit', granted_at: now, intent_summary: 'Summarise Q4' },
    agbac_ver: '1.0',
    ...extra,
  };
}

function run(form: Record<string, string>, settings?: Parameters<typeof runKeycloakActMapper>[1]) {
  const api = createKeycloakScriptApi({
    realm: 'dual-auth',
    clientId: agent,
    formParameters: form,
    users: [alice, bob, carol, dave, erin],
    realmRoles: ['dual-auth-human', 'dual-auth-agent', 'FinanceUser', 'staff', 'offline_access'],
  });
  const outcome = runKeycloakActMapper(api.bindings, settings);
  return { outcome, token: api.tokenClaims() };
}

function withAssertion(payload: unknown, settings?: Parameters<typeof runKeycloakActMapper>[1]) {
  return run(
    {
      grant_type: 'client_credentials',
      client_assertion_type: jwtBearer,
      client_assertion: assertion(payload),
    },
    settings,
  );
}

describe('the Keycloak act mapper script', () => {
  it('is ECMAScript 5.1, as Keycloak’s Nashorn engine runs it', () => {
    expect(() => parse(keycloakActMapperSource(), { ecmaVersion: 5, sourceType: 'script' })).not.toThrow();
  });

  it('is the file the provider descriptor names', () => {
    expect(keycloakScriptsDescriptor().mappers.map((mapper) => mapper.fileName)).toEqual([
      'dual-auth-act-mapper.js',
    ]);
  });

  it('copies act (the human by id only, by default), delegation and agbac_ver into the token', () => {
    const { outcome, token } = withAssertion(
      claimsFor({ sub: alice.id, email: 'forged@attacker.example', name: 'Forged' }),
    );
    expect(outcome.kind).toBe('claims');
    expect(token).toEqual({
      act: { sub: alice.id },
      delegation: { method: 'explicit', granted_at: now, intent_summary: 'Summarise Q4' },
      agbac_ver: '1.0',
    });
    expect(JSON.stringify(token)).not.toContain('forged');
  });

  it.each([
    ['email', { email: 'alice@example.com' }],
    ['name', { name: 'Alice Approved' }],
    ['email,name', { email: 'alice@example.com', name: 'Alice Approved' }],
    [' name , email ', { email: 'alice@example.com', name: 'Alice Approved' }],
  ])(
    'adds the realm’s own display claims listed in displayClaims (%j), never the request’s',
    (listed, added) => {
      const { token } = withAssertion(
        claimsFor({ sub: alice.id, email: 'forged@attacker.example', name: 'Forged' }),
        { settings: { displayClaims: listed } },
      );
      expect(token.act).toEqual({ sub: alice.id, ...added });
      expect(JSON.stringify(token)).not.toContain('orged');
    },
  );

  it('decodes UTF-8 in the assertion and drops unknown delegation members', () => {
    const { token } = withAssertion(
      claimsFor(
        { sub: alice.id },
        { delegation: { method: 'system', granted_at: now, intent_summary: 'Résumé 📈 für Q4', extra: 'x' } },
      ),
    );
    expect(token.delegation).toEqual({
      method: 'system',
      granted_at: now,
      intent_summary: 'Résumé 📈 für Q4',
    });
  });

  it('adds nothing when the request has no client assertion or the assertion no act', () => {
    expect(run({ grant_type: 'client_credentials', client_secret: 'x' })).toEqual({
      outcome: { kind: 'none' },
      token: {},
    });
    const { act: _act, ...withoutAct } = claimsFor(undefined);
    expect(withAssertion(withoutAct)).toEqual({ outcome: { kind: 'none' }, token: {} });
  });

  it.each([
    ['a string', 'alice', 'act in the client assertion is not an object'],
    ['an array', [alice.id], 'act in the client assertion is not an object'],
    ['null', null, 'act in the client assertion is not an object'],
    ['without sub', { email: 'alice@example.com' }, 'act.sub in the client assertion is missing or invalid'],
    ['with a numeric sub', { sub: 42 }, 'act.sub in the client assertion is missing or invalid'],
    ['with an empty sub', { sub: '' }, 'act.sub in the client assertion is missing or invalid'],
    [
      'with a 256-character sub',
      { sub: 'a'.repeat(256) },
      'act.sub in the client assertion is missing or invalid',
    ],
    [
      'with a control character',
      { sub: 'alice\nadmin' },
      'act.sub in the client assertion is missing or invalid',
    ],
  ])('refuses act %s, and the token carries no human', (_label, act, reason) => {
    const { outcome, token } = withAssertion(claimsFor(act));
    expect(outcome).toEqual({ kind: 'refuse', reason });
    expect(token).toEqual({ dual_auth_refusal: reason });
  });

  it.each([
    ['not an object', 'explicit'],
    ['an unknown method', { method: 'telepathy', granted_at: now }],
    ['no granted_at', { method: 'explicit' }],
    ['a fractional granted_at', { method: 'explicit', granted_at: now + 0.5 }],
    ['a negative granted_at', { method: 'explicit', granted_at: -1 }],
    ['a long intent summary', { method: 'explicit', granted_at: now, intent_summary: 'x'.repeat(513) }],
    ['a bad expires_at', { method: 'explicit', granted_at: now, expires_at: 'tomorrow' }],
  ])('refuses a delegation with %s', (_label, delegation) => {
    const { outcome, token } = withAssertion(claimsFor({ sub: alice.id }, { delegation }));
    expect(outcome.kind).toBe('refuse');
    expect(token).not.toHaveProperty('act');
  });

  it.each([[1], ['one'], ['1.0.0'], [{ v: 1 }]])('refuses agbac_ver %j', (agbacVer) => {
    expect(withAssertion(claimsFor({ sub: alice.id }, { agbac_ver: agbacVer })).outcome).toEqual({
      kind: 'refuse',
      reason: 'agbac_ver in the client assertion is invalid',
    });
  });

  it.each([
    [bob.id, `user ${bob.id} lacks the role dual-auth-human`],
    [carol.id, `user ${carol.id} has not approved agent ${agent}`],
    [dave.id, `user ${dave.id} is disabled`],
    [erin.id, `user ${erin.id} has not approved agent ${agent}`],
    ['00000000-0000-4000-a000-000000000000', 'user 00000000-0000-4000-a000-000000000000 does not exist'],
    // A caller-supplied email is never echoed into the token or the logs.
    ['alice@example.com', 'a subject that looks like an email does not exist'],
  ])('refuses human %s', (sub, reason) => {
    const { outcome, token } = withAssertion(claimsFor({ sub }));
    expect(outcome).toEqual({ kind: 'refuse', reason });
    expect(token).toEqual({ dual_auth_refusal: reason });
  });

  it('refuses an assertion issued for another client', () => {
    expect(withAssertion(claimsFor({ sub: alice.id }, { sub: 'someone-else' })).outcome).toEqual({
      kind: 'refuse',
      reason: 'the client assertion subject is not the authenticated client',
    });
  });

  it.each([
    ['not three parts', 'abc.def'],
    ['a payload that is not base64url', 'eyJhbGciOiJIUzI1NiJ9.@@@.sig'],
    ['a payload that is not JSON', `${encode({ alg: 'HS256' })}.${encode('not json')}.sig`],
    ['a JSON array payload', `${encode({ alg: 'HS256' })}.${encode([1, 2])}.sig`],
  ])('refuses a client assertion with %s', (_label, raw) => {
    const { outcome } = run({ client_assertion_type: jwtBearer, client_assertion: raw });
    expect(outcome).toEqual({ kind: 'refuse', reason: 'the client assertion payload is not a JSON object' });
  });

  it('refuses an oversized assertion without decoding it', () => {
    const { outcome } = run({ client_assertion_type: jwtBearer, client_assertion: 'a'.repeat(16_385) });
    expect(outcome).toEqual({ kind: 'refuse', reason: 'the client assertion is too large' });
  });

  it('ignores a client_assertion sent with another assertion type', () => {
    expect(
      run({
        client_assertion_type: 'urn:example:other',
        client_assertion: assertion(claimsFor({ sub: alice.id })),
      }),
    ).toEqual({ outcome: { kind: 'none' }, token: {} });
  });

  it('takes the human role and approval attribute from its settings', () => {
    const finance: KeycloakUserRecord = {
      ...alice,
      id: 'fin-1',
      realmRoles: ['FinanceUser'],
      attributes: { approved: [agent] },
    };
    const api = createKeycloakScriptApi({
      realm: 'dual-auth',
      clientId: agent,
      formParameters: {
        client_assertion_type: jwtBearer,
        client_assertion: assertion(claimsFor({ sub: 'fin-1' })),
      },
      users: [finance],
    });
    expect(runKeycloakActMapper(api.bindings).kind).toBe('refuse');
    const again = createKeycloakScriptApi({
      realm: 'dual-auth',
      clientId: agent,
      formParameters: {
        client_assertion_type: jwtBearer,
        client_assertion: assertion(claimsFor({ sub: 'fin-1' })),
      },
      users: [finance],
    });
    const outcome = runKeycloakActMapper(again.bindings, {
      settings: { humanRole: 'FinanceUser', approvedAgentsAttribute: 'approved' },
    });
    expect(outcome.kind).toBe('claims');
    expect(again.tokenClaims().act).toEqual({ sub: 'fin-1' });
  });

  it('refuses when the human role does not exist in the realm', () => {
    const api = createKeycloakScriptApi({
      realm: 'dual-auth',
      clientId: agent,
      formParameters: {
        client_assertion_type: jwtBearer,
        client_assertion: assertion(claimsFor({ sub: alice.id })),
      },
      users: [alice],
      realmRoles: ['offline_access'],
    });
    expect(runKeycloakActMapper(api.bindings)).toEqual({
      kind: 'refuse',
      reason: `user ${alice.id} lacks the role dual-auth-human`,
    });
  });

  it('rejects bindings that are not Keycloak-shaped', () => {
    expect(() => runKeycloakActMapper({} as never)).toThrow(TypeError);
    expect(() => createKeycloakScriptApi({ clientId: '' } as never)).toThrow(TypeError);
  });
});
