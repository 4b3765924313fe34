// Issue 7: AGBAC's ALLOW/DENY table with tokens issued by the embedded IdP, for every vendor
// profile and every layout that vendor can issue (agbac: Keycloak + mapper, Auth0 + Action; hybrid:
// all four). Where the IdP itself refuses at pre-approval, the adapter's typed TokenRequestError
// is asserted; where a token reaches the API, the verifier's decision, its per-subject verdicts
// and its audit event. Keycloak refuses nothing at the token endpoint (as Keycloak 26.7.3 does,
// apps/e2e/test/real-keycloak/): the agent without its role, and the human its mapper refuses
// (no act, `dual_auth_refusal`), are denied by the API. Then: layout confusion with real tokens, and hybrid act assertions moved
// to another agent's (or another) token.
import {
  type Act,
  type AuditEvent,
  type DelegationMode,
  type IdpAdapter,
  isDualAuthError,
  TokenRequestError,
  type TokenResponse,
  type Vendor,
} from '@dual-auth/core';
import { HybridSender } from '@dual-auth/sender';
import { type AgentFixture, defaultIdpFixture, type IdpProfile } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import type { Decision, Layout, Verifier } from '@dual-auth/verifier';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ID,
  agentNamed,
  apiVerifier,
  configFor,
  humanNamed,
  routeRequirements,
  vendorCases,
  vendors,
} from './harness.ts';

/** How each vendor's IdP refuses at pre-approval (VENDORS.md, the embedded profiles). */
const refusals: Record<Vendor, { agent?: Partial<TokenRequestError>; human?: Partial<TokenRequestError> }> = {
  keycloak: {},
  // The Action's api.access.deny('invalid_request', reason), named by the adapter from the reason.
  auth0: {
    agent: { status: 400, oauthError: 'invalid_request', vendorCode: 'agent_not_approved' },
    human: { status: 400, oauthError: 'invalid_request', vendorCode: 'human_not_approved' },
  },
  // no_matching_policy: no access-policy rule for the client (packages/testkit/test/okta-emulation.test.ts).
  okta: { agent: { status: 401, oauthError: 'access_denied', vendorCode: 'no_matching_policy' } },
  entraid: { agent: { status: 400, oauthError: 'invalid_grant', vendorCode: 'AADSTS501051' } },
};

type Expected =
  | { readonly kind: 'allow' }
  | { readonly kind: 'idp'; readonly refusal: 'agent' | 'human' }
  | {
      readonly kind: 'deny';
      readonly code: string;
      readonly agentOk: boolean;
      readonly humanOk: boolean;
      /** 401 for a token without a human (default 403). */
      readonly status?: 401 | 403;
    };

/** Keycloak issues what other IdPs refuse: what the API then decides. */
function keycloakExpectation(row: Row, mode: DelegationMode): Expected {
  const expected = row.expected[mode];
  if (expected.kind !== 'idp') return expected;
  // agbac: the mapper put no act in the token (alice approved finance-agent only; bob lacks the
  // role), so there is no human to judge. hybrid: the act assertion names the human, the token's
  // realm roles lack the agent role.
  return mode === 'agbac'
    ? { kind: 'deny', code: 'token_invalid', agentOk: false, humanOk: false, status: 401 }
    : { kind: 'deny', code: 'agent_denied', agentOk: false, humanOk: row.human === 'alice' };
}

interface Row {
  readonly name: string;
  readonly agent: string;
  readonly human: string;
  /** What happens in the agbac layout (the IdP sees the human) and in the hybrid layout (it does not). */
  readonly expected: Readonly<Record<DelegationMode, Expected>>;
}

const rows: readonly Row[] = [
  {
    name: 'approved agent, approved human → ALLOW',
    agent: 'finance-agent',
    human: 'alice',
    expected: { agbac: { kind: 'allow' }, hybrid: { kind: 'allow' } },
  },
  {
    name: 'unapproved agent, approved human → DENY',
    agent: 'rogue-agent',
    human: 'alice',
    expected: { agbac: { kind: 'idp', refusal: 'agent' }, hybrid: { kind: 'idp', refusal: 'agent' } },
  },
  {
    name: 'approved agent, unapproved human (no FinanceUser role) → DENY',
    agent: 'finance-agent',
    human: 'bob',
    expected: {
      agbac: { kind: 'idp', refusal: 'human' },
      hybrid: { kind: 'deny', code: 'human_denied', agentOk: true, humanOk: false },
    },
  },
  {
    name: 'unapproved agent, unapproved human → DENY',
    agent: 'rogue-agent',
    human: 'bob',
    expected: { agbac: { kind: 'idp', refusal: 'agent' }, hybrid: { kind: 'idp', refusal: 'agent' } },
  },
  {
    name: 'approved agent, human who never approved this agent → DENY (the delegation condition)',
    agent: 'finance-agent',
    human: 'carol',
    expected: {
      agbac: { kind: 'idp', refusal: 'human' },
      hybrid: { kind: 'deny', code: 'delegation_invalid', agentOk: true, humanOk: true },
    },
  },
];

// A second approved agent, which alice approved too: an act assertion moved onto its token must
// fail on the binding alone.
const fixture = (() => {
  const base = defaultIdpFixture();
  return {
    ...base,
    agents: [
      ...base.agents,
      {
        clientId: 'audit-agent',
        clientSecret: 'audit-agent-secret-0123456789abcdef0123456789abcdef',
        authMethods: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'],
        roles: ['FinanceAgent'],
      } satisfies AgentFixture,
    ],
    humans: base.humans.map((human) =>
      human.id === 'alice' ? { ...human, approvedAgents: [...human.approvedAgents, 'audit-agent'] } : human,
    ),
  };
})();

const idp = useEmbeddedIdp({ fixture });
let sender: HybridSender;
let appKeys: { keys: object[] };
const audits: AuditEvent[] = [];
const verifiers = new Map<string, Verifier>();

beforeAll(async () => {
  sender = await HybridSender.create({
    privateKey: (await import('node:crypto'))
      .generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString(),
    appId: APP_ID,
  });
  appKeys = (await sender.publicJwks()) as unknown as { keys: object[] };
});

function adapter(profile: IdpProfile, clientId: string, mode: DelegationMode): IdpAdapter {
  return vendorCases[profile.vendor].createAdapter(configFor(profile, agentNamed(profile, clientId)), {
    mode,
    retry: { limit: 0 },
    ...(mode === 'hybrid'
      ? { signActAssertion: sender.createActAssertionSigner({ audience: profile.audience }) }
      : {}),
  });
}

function verifier(profile: IdpProfile, layout: Layout): Verifier {
  const key = `${profile.vendor}/${layout}`;
  let found = verifiers.get(key);
  if (found === undefined) {
    found = apiVerifier({
      profile,
      layout,
      appKeys,
      audit: (event) => void audits.push(event),
    });
    verifiers.set(key, found);
  }
  return found;
}

async function decide(
  profile: IdpProfile,
  layout: Layout,
  tokenResponse: TokenResponse,
  actAssertion?: string,
) {
  const before = audits.length;
  const decision = await verifier(profile, layout).verify(
    {
      authorization: `Bearer ${tokenResponse.accessToken}`,
      actAssertion: actAssertion ?? tokenResponse.actAssertion,
      method: 'GET',
      path: '/finance/reports/Q4',
    },
    routeRequirements(profile.vendor),
  );
  expect(audits.length - before, 'one audit event per decision').toBe(1);
  return { decision, audit: audits.at(-1) as AuditEvent };
}

const actOf = (profile: IdpProfile, name: string): Act => {
  const human = humanNamed(profile, name);
  return { sub: human.id, email: human.email, name: human.name };
};

const tableCases = vendors.flatMap((vendor) =>
  vendorCases[vendor].modes.map((mode) => ({ vendor, mode, name: `${vendor}, ${mode} layout` })),
);

describe.each(tableCases)('$name', ({ vendor, mode }) => {
  describe.each(rows)('$name', (row) => {
    const expected = vendor === 'keycloak' ? keycloakExpectation(row, mode) : row.expected[mode];
    it(expected.kind === 'idp' ? `the IdP refuses the ${expected.refusal}` : 'the API decides', async () => {
      const profile = idp.profile(vendor);
      const before = profile.tokenRequestCount();
      const outcome = await adapter(profile, row.agent, mode)
        .requestToken({ agentId: row.agent, act: actOf(profile, row.human), scope: profile.scope })
        .then(
          (tokenResponse) => ({ tokenResponse }),
          (error: unknown) => ({ error }),
        );
      expect(profile.tokenRequestCount() - before, 'one IdP request, never retried').toBe(1);

      if (expected.kind === 'idp') {
        expect('error' in outcome).toBe(true);
        const error = (outcome as { error: unknown }).error;
        expect(isDualAuthError(error, 'ERR_TOKEN_REQUEST')).toBe(true);
        expect(error).toBeInstanceOf(TokenRequestError);
        const refusal = refusals[vendor][expected.refusal];
        expect(refusal, `${vendor} has no ${expected.refusal} refusal`).toBeDefined();
        expect(error).toMatchObject(refusal as object);
        return;
      }

      expect(outcome).toHaveProperty('tokenResponse');
      const { tokenResponse } = outcome as { tokenResponse: TokenResponse };
      expect(tokenResponse.hasActAssertion).toBe(mode === 'hybrid');
      const { decision, audit } = await decide(profile, mode, tokenResponse);
      const human = humanNamed(profile, row.human);
      const humanless = expected.kind === 'deny' && expected.status === 401;
      expect(audit).toMatchObject({
        action: 'GET',
        ...(humanless ? {} : { agentId: row.agent, humanId: human.id }),
      });
      if (expected.kind === 'allow') {
        expect(decision).toMatchObject({
          allow: true,
          agent: { id: row.agent },
          human: { id: human.id },
          delegation: { method: 'explicit' },
        });
        expect(audit).toMatchObject({ decision: 'allow', delegationType: 'explicit' });
        return;
      }
      const denial = decision as Extract<Decision, { allow: false }>;
      expect(denial).toMatchObject({ allow: false, code: expected.code, status: expected.status ?? 403 });
      expect(denial.subjects.agent.ok).toBe(expected.agentOk);
      expect(denial.subjects.human.ok).toBe(expected.humanOk);
      expect(audit).toMatchObject({ decision: 'deny', denial: expected.code });
    });
  });
});

describe('layout confusion with real tokens: refused, never read the other way round', () => {
  it.each(['keycloak', 'auth0'] as const)(
    '%s agbac token at an API configured for rfc8693 or hybrid → token_invalid',
    async (vendor) => {
      const profile = idp.profile(vendor);
      const tokenResponse = await adapter(profile, 'finance-agent', 'agbac').requestToken({
        agentId: 'finance-agent',
        act: actOf(profile, 'alice'),
        scope: profile.scope,
      });
      for (const layout of ['rfc8693', 'hybrid'] as const) {
        const { decision } = await decide(profile, layout, tokenResponse);
        expect(decision, layout).toMatchObject({ allow: false, code: 'token_invalid', status: 401 });
      }
    },
  );

  it.each(['okta', 'entraid', 'keycloak', 'auth0'] as const)(
    '%s hybrid token with its act assertion at an API configured for agbac or rfc8693 → token_invalid',
    async (vendor) => {
      const profile = idp.profile(vendor);
      const tokenResponse = await adapter(profile, 'finance-agent', 'hybrid').requestToken({
        agentId: 'finance-agent',
        act: actOf(profile, 'alice'),
        scope: profile.scope,
      });
      for (const layout of ['agbac', 'rfc8693'] as const) {
        const { decision } = await decide(profile, layout, tokenResponse);
        expect(decision, layout).toMatchObject({ allow: false, code: 'token_invalid', status: 401 });
      }
    },
  );
});

describe.each(vendors)('%s hybrid: an act assertion is bound to one token of one agent', (vendor) => {
  it('allowed with its own token; denied on another agent’s token, on another token, or without it', async () => {
    const profile = idp.profile(vendor);
    const act = actOf(profile, 'alice');
    const request = { act, scope: profile.scope };
    const own = await adapter(profile, 'finance-agent', 'hybrid').requestToken({
      agentId: 'finance-agent',
      ...request,
    });
    const other = await adapter(profile, 'audit-agent', 'hybrid').requestToken({
      agentId: 'audit-agent',
      ...request,
    });
    // Auth0 tokens carry no jti and every granted scope whatever is requested: two requests in one
    // second get the same token, so the second one waits for the next second. Others: fewer scopes
    // (Entra ID takes only `.default`; its `uti` differs).
    if (vendor === 'auth0') await new Promise((resolve) => setTimeout(resolve, 1005 - (Date.now() % 1000)));
    const again = await adapter(profile, 'finance-agent', 'hybrid').requestToken({
      agentId: 'finance-agent',
      act,
      scope: vendor === 'entraid' ? profile.scope : ['finance.read'],
    });
    expect(again.accessToken).not.toBe(own.accessToken);

    expect((await decide(profile, 'hybrid', own)).decision.allow).toBe(true);
    // The other agent is approved by alice and holds its role: only the binding can refuse it.
    expect((await decide(profile, 'hybrid', other)).decision.allow).toBe(true);

    const moved = await decide(profile, 'hybrid', other, own.actAssertion);
    expect(moved.decision).toMatchObject({ allow: false, code: 'token_invalid', status: 401 });
    expect(moved.audit).toMatchObject({ decision: 'deny', denial: 'token_invalid' });
    const reused = await decide(profile, 'hybrid', again, own.actAssertion);
    expect(reused.decision).toMatchObject({ allow: false, code: 'token_invalid', status: 401 });
    const missing = await verifier(profile, 'hybrid').verify(
      { authorization: `Bearer ${own.accessToken}`, method: 'GET', path: '/finance/reports/Q4' },
      routeRequirements(vendor),
    );
    expect(missing).toMatchObject({ allow: false, code: 'token_invalid', status: 401 });
  });
});
