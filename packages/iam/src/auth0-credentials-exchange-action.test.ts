import { describe, expect, it } from 'vitest';
import {
  type Auth0CredentialsExchangeApi,
  type Auth0CredentialsExchangeEvent,
  type Auth0HumanRecord,
  auth0CredentialsExchangeAction,
  auth0CredentialsExchangeActionSource,
} from './auth0-credentials-exchange-action.ts';

const ns = 'https://dual-auth.dev/';
const agentId = 'agent-123';
const apiId = 'https://api.example.com/finance';
const now = 1_767_225_600;

const humans: Record<string, Auth0HumanRecord> = {
  'auth0|alice': {
    email: 'alice@example.com',
    name: 'Alice Approved',
    roles: ['FinanceUser'],
    approvedAgents: [agentId],
  },
  'auth0|bob': { email: 'bob@example.com', name: 'Bob', roles: ['Staff'], approvedAgents: [agentId] },
  'auth0|carol': {
    email: 'carol@example.com',
    name: 'Carol',
    roles: ['FinanceUser'],
    approvedAgents: ['other'],
  },
};

function recorder() {
  const claims: Record<string, unknown> = {};
  const denials: { code: string; reason: string }[] = [];
  const api: Auth0CredentialsExchangeApi = {
    accessToken: {
      setCustomClaim(name, value) {
        claims[name] = value;
      },
    },
    access: {
      deny(code, reason) {
        denials.push({ code, reason });
      },
    },
  };
  return { api, claims, denials };
}

function event(body: Record<string, unknown>, clientId = agentId): Auth0CredentialsExchangeEvent {
  return {
    client: { client_id: clientId, name: 'agent', metadata: { dual_auth_agent: 'true' } },
    request: { body },
    resource_server: { identifier: apiId },
    transaction: { requested_scopes: ['finance.read'] },
  };
}

function delegationFor(extra: Record<string, unknown> = {}) {
  return JSON.stringify({ method: 'explicit', granted_at: now, intent_summary: 'Summarise Q4', ...extra });
}

function handler(
  overrides: Partial<
    Parameters<ReturnType<typeof auth0CredentialsExchangeAction>['createCredentialsExchangeHandler']>[0]
  > = {},
) {
  return auth0CredentialsExchangeAction().createCredentialsExchangeHandler({
    claimNamespace: ns,
    humanRole: 'FinanceUser',
    agentRequirement: 'FinanceAgent',
    classifyClient: (e) =>
      e.client.client_id === agentId
        ? 'agent'
        : e.client.client_id === 'reader'
          ? 'not-applicable'
          : 'not-agent',
    lookupHuman: (userId) => humans[userId],
    ...overrides,
  });
}

function runSync(body: Record<string, unknown>, clientId = agentId) {
  const { api, claims, denials } = recorder();
  const result = handler()(event(body, clientId), api);
  expect(result).toBeUndefined();
  return { claims, denials };
}

describe('the Auth0 credentials-exchange Action', () => {
  it('is a CommonJS module without dependencies, exporting onExecuteCredentialsExchange', () => {
    const source = auth0CredentialsExchangeActionSource();
    expect(source).toContain('exports.onExecuteCredentialsExchange');
    expect(source).not.toMatch(/\brequire\(/);
    expect(typeof auth0CredentialsExchangeAction().onExecuteCredentialsExchange).toBe('function');
  });

  it('writes the human as namespaced claims, by id only unless told otherwise', () => {
    const { claims, denials } = runSync({
      act: JSON.stringify({ sub: 'auth0|alice', email: 'forged@attacker.example', name: 'Forged' }),
      delegation: delegationFor({ extra: 'dropped' }),
      agbac_ver: '1.0',
    });
    expect(denials).toEqual([]);
    expect(claims).toEqual({
      [`${ns}act`]: { sub: 'auth0|alice' },
      [`${ns}delegation`]: { method: 'explicit', granted_at: now, intent_summary: 'Summarise Q4' },
      [`${ns}agbac_ver`]: '1.0',
    });
    expect(claims).not.toHaveProperty('act');
  });

  it.each([
    ['email', { email: 'alice@example.com' }],
    ['name', { name: 'Alice Approved' }],
    [' email , name ', { email: 'alice@example.com', name: 'Alice Approved' }],
  ])(
    'adds the tenant’s display claims listed in displayClaims (%j), never the request’s',
    (listed, added) => {
      const { api, claims } = recorder();
      handler({ displayClaims: listed })(
        event({
          act: JSON.stringify({ sub: 'auth0|alice', email: 'forged@attacker.example', name: 'Forged' }),
        }),
        api,
      );
      expect(claims[`${ns}act`]).toEqual({ sub: 'auth0|alice', ...added });
    },
  );

  it('refuses every request, as misconfigured, when displayClaims lists anything else', () => {
    const { api, claims, denials } = recorder();
    handler({ displayClaims: 'email,phone' })(event({ act: JSON.stringify({ sub: 'auth0|alice' }) }), api);
    expect(claims).toEqual({});
    expect(denials).toEqual([
      {
        code: 'server_error',
        reason:
          'dual-auth Action misconfigured: DISPLAY_CLAIMS must be empty, "email", "name" or "email,name"',
      },
    ]);
  });

  it('accepts act and delegation as JSON objects (JSON request bodies)', () => {
    const { claims } = runSync({
      act: { sub: 'auth0|alice' },
      delegation: { method: 'implicit', granted_at: now },
    });
    expect(claims[`${ns}delegation`]).toEqual({ method: 'implicit', granted_at: now });
  });

  it('adds nothing when the agent sends no human', () => {
    expect(runSync({ grant_type: 'client_credentials' })).toEqual({ claims: {}, denials: [] });
  });

  it.each([
    ['not JSON', '{sub:'],
    ['a JSON string', '"auth0|alice"'],
    ['a JSON array', '["auth0|alice"]'],
    ['without sub', '{"email":"alice@example.com"}'],
    ['with an empty sub', '{"sub":""}'],
    ['with a numeric sub', '{"sub":7}'],
    ['with a control character in sub', JSON.stringify({ sub: 'auth0|alice\r\nx' })],
    ['longer than 8 KB', JSON.stringify({ sub: 'auth0|alice', pad: 'x'.repeat(8_200) })],
  ])('denies an act that is %s, and sets no claim', (_label, act) => {
    const { claims, denials } = runSync({ act });
    expect(denials).toEqual([{ code: 'invalid_request', reason: 'act must be a JSON object with a sub' }]);
    expect(claims).toEqual({});
  });

  it.each([
    ['not JSON', 'explicit'],
    ['an unknown method', JSON.stringify({ method: 'telepathy', granted_at: now })],
    ['no granted_at', JSON.stringify({ method: 'explicit' })],
    ['a string granted_at', JSON.stringify({ method: 'explicit', granted_at: String(now) })],
    ['a long intent summary', delegationFor({ intent_summary: 'x'.repeat(513) })],
    ['a bad expires_at', delegationFor({ expires_at: -5 })],
  ])('denies a delegation with %s, and sets no claim', (_label, delegation) => {
    const { claims, denials } = runSync({ act: JSON.stringify({ sub: 'auth0|alice' }), delegation });
    expect(denials).toHaveLength(1);
    expect(denials[0]?.code).toBe('invalid_request');
    expect(claims).toEqual({});
  });

  it('denies a malformed agbac_ver', () => {
    const { claims, denials } = runSync({ act: JSON.stringify({ sub: 'auth0|alice' }), agbac_ver: 'v1' });
    expect(denials).toEqual([
      { code: 'invalid_request', reason: 'agbac_ver must be a version string such as 1.0' },
    ]);
    expect(claims).toEqual({});
  });

  it.each([
    ['auth0|bob', 'user auth0|bob lacks the role FinanceUser'],
    ['auth0|carol', `user auth0|carol has not approved agent ${agentId}`],
    ['auth0|nobody', 'user auth0|nobody does not exist'],
    // A caller-supplied email is never echoed into the denial Auth0 logs and returns.
    ['alice@example.com', 'a subject that looks like an email does not exist'],
  ])('denies human %s', (sub, reason) => {
    const { claims, denials } = runSync({ act: JSON.stringify({ sub }) });
    expect(denials).toEqual([{ code: 'invalid_request', reason }]);
    expect(claims).toEqual({});
  });

  it('denies a client that is not an approved agent, even without a human', () => {
    expect(runSync({}, 'rogue').denials).toEqual([
      { code: 'invalid_request', reason: 'client is not an approved agent (missing FinanceAgent)' },
    ]);
  });

  it('leaves clients it does not apply to alone', () => {
    expect(runSync({ act: 'garbage' }, 'reader')).toEqual({ claims: {}, denials: [] });
  });

  it.each([
    ['not a URL', 'dual-auth'],
    ['an Auth0 domain', 'https://tenant.auth0.com/'],
    ['without a trailing slash', 'https://dual-auth.dev'],
    ['another protocol', 'urn:dual-auth:'],
  ])('refuses to run with a namespace that is %s', (_label, claimNamespace) => {
    const { api, claims, denials } = recorder();
    handler({ claimNamespace })(event({ act: JSON.stringify({ sub: 'auth0|alice' }) }), api);
    expect(denials).toHaveLength(1);
    expect(denials[0]?.code).toBe('server_error');
    expect(claims).toEqual({});
  });

  it('waits for an asynchronous human look-up', async () => {
    const { api, claims } = recorder();
    const result = handler({ lookupHuman: async (userId) => humans[userId] })(
      event({ act: JSON.stringify({ sub: 'auth0|alice' }) }),
      api,
    );
    expect(result).toBeInstanceOf(Promise);
    await result;
    expect(claims[`${ns}act`]).toEqual({ sub: 'auth0|alice' });
  });
});

describe('the Action as Auth0 runs it (secrets, Management API)', () => {
  const secrets = {
    API_IDENTIFIER: apiId,
    HUMAN_ROLE: 'FinanceUser',
    AUTH0_DOMAIN: 'tenant.example.auth0.com',
    MANAGEMENT_CLIENT_ID: 'mgmt-client',
    MANAGEMENT_CLIENT_SECRET: 'mgmt-secret-canary',
  };

  function managementApi(users: Record<string, { user: unknown; roles: unknown } | number>) {
    const calls: string[] = [];
    const fetchStub = (async (input: string | URL, init?: RequestInit) => {
      const url = new URL(String(input));
      calls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
      expect(url.host).toBe('tenant.example.auth0.com');
      if (url.pathname === '/oauth/token') {
        const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
        expect(body).toMatchObject({
          grant_type: 'client_credentials',
          client_id: 'mgmt-client',
          audience: 'https://tenant.example.auth0.com/api/v2/',
        });
        return Response.json({ access_token: 'mgmt-token', expires_in: 86_400, token_type: 'Bearer' });
      }
      expect(new Headers(init?.headers).get('authorization')).toBe('Bearer mgmt-token');
      const match = /^\/api\/v2\/users\/([^/]+)(\/roles)?$/.exec(url.pathname);
      const entry = match ? users[decodeURIComponent(match[1] ?? '')] : undefined;
      if (entry === undefined) return new Response('{"statusCode":404}', { status: 404 });
      if (typeof entry === 'number') return new Response('{}', { status: entry });
      if (!match?.[2]) return Response.json(entry.user);
      // The roles endpoint pages as Auth0's does: per_page (default 50) and a 0-based page.
      const perPage = Number(url.searchParams.get('per_page') ?? 50);
      const page = Number(url.searchParams.get('page') ?? 0);
      return Response.json(
        Array.isArray(entry.roles) ? entry.roles.slice(page * perPage, (page + 1) * perPage) : entry.roles,
      );
    }) as typeof fetch;
    return { calls, fetchStub };
  }

  async function runAsAuth0(
    body: Record<string, unknown>,
    users: Record<string, { user: unknown; roles: unknown } | number>,
    options: { metadata?: Record<string, string>; resource?: string; secrets?: Record<string, string> } = {},
  ) {
    const { api, claims, denials } = recorder();
    const cache = new Map<string, string>();
    const apiWithCache = {
      ...api,
      cache: {
        get: (key: string) => (cache.has(key) ? { value: cache.get(key) as string } : undefined),
        set: (key: string, value: string) => {
          cache.set(key, value);
          return { type: 'success' };
        },
      },
    };
    const { calls, fetchStub } = managementApi(users);
    const original = globalThis.fetch;
    globalThis.fetch = fetchStub;
    try {
      await auth0CredentialsExchangeAction().onExecuteCredentialsExchange(
        {
          client: {
            client_id: agentId,
            name: 'agent',
            metadata: options.metadata ?? { dual_auth_agent: 'true' },
          },
          request: { body },
          resource_server: { identifier: options.resource ?? apiId },
          secrets: options.secrets ?? secrets,
        },
        apiWithCache,
      );
    } finally {
      globalThis.fetch = original;
    }
    return { claims, denials, calls, cache };
  }

  const alice = {
    user: {
      user_id: 'auth0|alice',
      email: 'alice@example.com',
      name: 'Alice Approved',
      app_metadata: { dual_auth: { approved_agents: [agentId] } },
    },
    roles: [{ id: 'rol_1', name: 'FinanceUser', description: '' }],
  };

  it('looks the human up through the Management API and caches its token', async () => {
    const result = await runAsAuth0(
      { act: JSON.stringify({ sub: 'auth0|alice' }), agbac_ver: '1.0' },
      { 'auth0|alice': alice },
      { secrets: { ...secrets, DISPLAY_CLAIMS: 'email,name' } },
    );
    expect(result.denials).toEqual([]);
    expect(result.claims[`${ns}act`]).toEqual({
      sub: 'auth0|alice',
      email: 'alice@example.com',
      name: 'Alice Approved',
    });
    expect(result.calls).toEqual([
      'POST /oauth/token',
      `GET /api/v2/users/${encodeURIComponent('auth0|alice')}`,
      `GET /api/v2/users/${encodeURIComponent('auth0|alice')}/roles`,
    ]);
    expect([...result.cache.values()]).toEqual(['mgmt-token']);
  });

  it('denies a human the tenant does not know, without approval, or without the role', async () => {
    const unknown = await runAsAuth0({ act: JSON.stringify({ sub: 'auth0|ghost' }) }, {});
    expect(unknown.denials).toEqual([{ code: 'invalid_request', reason: 'user auth0|ghost does not exist' }]);
    const unapproved = await runAsAuth0(
      { act: JSON.stringify({ sub: 'auth0|alice' }) },
      { 'auth0|alice': { ...alice, user: { ...alice.user, app_metadata: {} } } },
    );
    expect(unapproved.denials[0]?.reason).toBe(`user auth0|alice has not approved agent ${agentId}`);
    const roleless = await runAsAuth0(
      { act: JSON.stringify({ sub: 'auth0|alice' }) },
      { 'auth0|alice': { ...alice, roles: [] } },
    );
    expect(roleless.denials[0]?.reason).toBe('user auth0|alice lacks the role FinanceUser');
  });

  it('reads every page of the human’s roles, up to 10 pages', async () => {
    const filler = (count: number, from = 0) =>
      Array.from({ length: count }, (_, index) => ({
        id: `rol_${from + index}`,
        name: `Other${from + index}`,
      }));
    const roleOnPage3 = await runAsAuth0(
      { act: JSON.stringify({ sub: 'auth0|alice' }) },
      { 'auth0|alice': { ...alice, roles: [...filler(250), { id: 'rol_f', name: 'FinanceUser' }] } },
    );
    expect(roleOnPage3.denials).toEqual([]);
    expect(roleOnPage3.claims[`${ns}act`]).toMatchObject({ sub: 'auth0|alice' });
    const roleCalls = roleOnPage3.calls.filter((call) => call.endsWith('/roles'));
    expect(roleCalls).toHaveLength(3);
    // Bounded: a role past the 1,000th is not read, and the human is refused (fail closed).
    const tooMany = await runAsAuth0(
      { act: JSON.stringify({ sub: 'auth0|alice' }) },
      { 'auth0|alice': { ...alice, roles: [...filler(1_000), { id: 'rol_f', name: 'FinanceUser' }] } },
    );
    expect(tooMany.calls.filter((call) => call.endsWith('/roles'))).toHaveLength(10);
    expect(tooMany.denials[0]?.reason).toBe('user auth0|alice lacks the role FinanceUser');
  });

  it('fails closed when the Management API fails', async () => {
    await expect(
      runAsAuth0({ act: JSON.stringify({ sub: 'auth0|alice' }) }, { 'auth0|alice': 500 }),
    ).rejects.toThrow(/status 500/);
  });

  it('denies clients without the agent marker and ignores other APIs', async () => {
    const rogue = await runAsAuth0({}, {}, { metadata: {} });
    expect(rogue.denials).toEqual([
      {
        code: 'invalid_request',
        reason: 'client is not an approved agent (missing client metadata dual_auth_agent=true)',
      },
    ]);
    const elsewhere = await runAsAuth0({ act: 'garbage' }, {}, { resource: 'https://other.example.com/' });
    expect(elsewhere).toMatchObject({ claims: {}, denials: [], calls: [] });
  });

  it('refuses to run without its secrets, naming them but not their values', async () => {
    const result = await runAsAuth0(
      {},
      {},
      { secrets: { API_IDENTIFIER: apiId, MANAGEMENT_CLIENT_SECRET: 'mgmt-secret-canary' } },
    );
    expect(result.denials).toEqual([
      {
        code: 'server_error',
        reason:
          'dual-auth Action misconfigured: missing secrets HUMAN_ROLE, AUTH0_DOMAIN, MANAGEMENT_CLIENT_ID',
      },
    ]);
    expect(JSON.stringify(result)).not.toContain('mgmt-secret-canary');
  });
});

describe('the Action denies only with codes the credentials-exchange trigger accepts', () => {
  // "api.access.deny(code, reason) … Allowed values: invalid_scope, invalid_request, server_error":
  // https://auth0.com/docs/customize/actions/explore-triggers/machine-to-machine-trigger/credentials-exchange-api-object
  const allowed = ['invalid_scope', 'invalid_request', 'server_error'];

  it('names only allowed codes in its source, always as a literal', () => {
    const source = auth0CredentialsExchangeActionSource();
    const calls = [...source.matchAll(/api\.access\.deny\(\s*([^,)]*)/g)].map((match) => match[1]?.trim());
    expect(calls.length).toBeGreaterThan(5);
    for (const code of calls) expect(allowed.map((name) => `'${name}'`)).toContain(code);
  });

  it('uses invalid_request for every agent and human refusal', async () => {
    const denials: { code: string; reason: string }[] = [];
    for (const [body, clientId] of [
      [{}, 'rogue'],
      [{ act: '{"email":"x"}' }, agentId],
      [{ act: JSON.stringify({ sub: 'auth0|bob' }) }, agentId],
      [{ act: JSON.stringify({ sub: 'auth0|carol' }) }, agentId],
      [{ act: JSON.stringify({ sub: 'auth0|nobody' }) }, agentId],
    ] as const) {
      const { api, denials: seen } = recorder();
      await handler()(event(body, clientId), api);
      denials.push(...seen);
    }
    expect(denials).toHaveLength(5);
    expect(new Set(denials.map((denial) => denial.code))).toEqual(new Set(['invalid_request']));
  });
});
