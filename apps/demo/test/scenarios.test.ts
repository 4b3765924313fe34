import { vendors } from '@dual-auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTable } from '../src/format-table.ts';
import { runScenarios, type ScenarioResult, scenariosOf } from '../src/scenarios.ts';
import { type DemoStack, startDemoStack } from '../src/start-demo-stack.ts';

let stack: DemoStack;
let results: ScenarioResult[];

beforeAll(async () => {
  stack = await startDemoStack(vendors, {});
  results = await runScenarios(stack, vendors);
}, 60_000);
afterAll(() => stack?.close());

describe('scripted scenarios on all four vendor profiles', () => {
  it('runs every scenario for every vendor', () => {
    const expected = vendors.map((vendor) => scenariosOf(vendor).length).reduce((sum, n) => sum + n, 0);
    expect(results).toHaveLength(expected);
  });

  it.each(vendors)('%s: every outcome is the expected one', (vendor) => {
    const rows = results.filter((result) => result.vendor === vendor);
    const unexpected = rows
      .filter((result) => !result.pass)
      .map((r) => `${r.flow} ${r.scenario}: ${r.decision} ${r.code}`);
    expect(unexpected).toEqual([]);
    expect(
      rows
        .filter((result) => result.decision === 'ALLOW' && result.flow !== 'exchange')
        .map((r) => `${r.flow}/${r.scenario}`),
    ).toEqual(['in-session/allow', 'out-of-session/allow', 'out-of-session/python-act-jwt', 'mcp/allow']);
  });

  it('stops the human at the IdP for Auth0, at the API for Keycloak (its mapper cannot refuse) and hybrid vendors', () => {
    const where = (vendor: string, scenario: string) =>
      results.find((r) => r.vendor === vendor && r.flow === 'in-session' && r.scenario === scenario)
        ?.stoppedAt;
    expect(where('keycloak', 'human-unapproved')).toBe('api');
    expect(where('auth0', 'human-unapproved')).toBe('idp');
    expect(where('okta', 'human-unapproved')).toBe('api');
    expect(where('entraid', 'delegation-missing')).toBe('api');
  });

  it('gives every row an audit event id that is in the audit trail', () => {
    const ids = new Set(stack.trail.recent(2_000).map((entry) => entry.event.id));
    for (const result of results.filter((r) => r.decision !== 'N/A'))
      expect(ids.has(result.auditEventId ?? '')).toBe(true);
  });

  it('never puts an email, a secret or a compact token in the results, the table or the audit trail', () => {
    const text = JSON.stringify(results) + formatTable(results) + JSON.stringify(stack.trail.recent(2_000));
    expect(text).not.toMatch(/@example\.com/);
    expect(text).not.toMatch(/-secret-/);
    expect(text).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
  });

  it('fails a row whose outcome differs from the expectation', () => {
    const [first] = results;
    if (first === undefined) throw new Error('no results');
    expect(formatTable([{ ...first, pass: false }])).toContain('UNEXPECTED');
  });
});

/** One exchange-mode row as `scenario: decision at component code (note)`. */
function exchangeRows(vendor: string): string[] {
  return results
    .filter((result) => result.vendor === vendor && result.flow === 'exchange')
    .map(
      (r) =>
        `${r.scenario}: ${r.decision}${r.stoppedAt ? ` at ${r.stoppedAt}` : ''} ${r.code}${r.note ? ` (${r.note})` : ''}`,
    );
}

describe('exchange-mode rows (DUAL_AUTH_MODE=exchange, rfc8693 at the API)', () => {
  // Keycloak 26.7.3 (emulated, calibrated against the real server): the exchange names the agent in
  // azp only, which the rfc8693 verifier reads by the jti's token-exchange mark. No act: no chain,
  // and no hop's scopes for the verifier to compare, so the widened second exchange is allowed.
  it('keycloak', () => {
    expect(exchangeRows('keycloak')).toEqual([
      'allow: ALLOW allow (agent from azp (Keycloak 26.7.3: no act))',
      "human-unapproved: DENY at api human_denied (IdP exchanges bob's token (no role rule))",
      "delegation-missing: DENY at api delegation_invalid (IdP exchanges carol's token; API: her directory entry lists no agent)",
      'agent-unapproved: DENY at idp invalid_request (token exchange not enabled for rogue-agent)',
      "chain-too-deep: N/A - (no chain in this vendor's tokens)",
      "scope-widened: ALLOW allow (no widening rule: IdP grants the agent client's scopes, no act records the hop)",
    ]);
  });

  it('reads both subjects from the exchanged token: the API audit event names the agent and the human', () => {
    const allowed = results.filter((r) => r.flow === 'exchange' && r.decision === 'ALLOW');
    expect(allowed.map((r) => `${r.vendor}/${r.scenario}`)).toEqual([
      'keycloak/allow',
      'keycloak/scope-widened',
      'auth0/allow',
      'auth0/scope-widened',
      'okta/allow',
      'okta/scope-widened',
      'entraid/allow',
    ]);
    for (const row of allowed) {
      const entry = stack.trail.recent(2_000).find((e) => e.event.id === row.auditEventId);
      const alice = stack.idp.profile(row.vendor).humans.find((human) => human.name.startsWith('Alice'));
      expect(entry).toMatchObject({ source: 'api', event: { decision: 'allow', humanId: alice?.id } });
      expect(row.agent.split('→').at(-1)).toBe(entry?.event.agentId);
    }
  });

  // Auth0 (emulated from auth0.com/docs/secure/call-apis-on-users-behalf/on-behalf-of-token-exchange):
  // nested act down to the web app, so finance-agent → agent-b → agent-c is 4 actors, past the
  // verifier's default depth of 3; the scopes are the human's RBAC (bob has none), act records none.
  it('auth0', () => {
    expect(exchangeRows('auth0')).toEqual([
      'allow: ALLOW allow (chain finance-agent, web app (nested act))',
      'human-unapproved: DENY at idp access_denied (IdP: bob has no permissions for the API (user RBAC))',
      "delegation-missing: DENY at api delegation_invalid (IdP exchanges carol's token; API: her directory entry lists no agent)",
      'agent-unapproved: DENY at idp unauthorized_client (rogue-agent is no Custom API client)',
      'chain-too-deep: DENY at api delegation_invalid (chain agent-c, agent-b, finance-agent, web app: 4 actors)',
      "scope-widened: ALLOW allow (no widening rule: IdP grants the human's permissions, act records no scopes)",
    ]);
    const tooDeep = results.find(
      (r) => r.vendor === 'auth0' && r.flow === 'exchange' && r.scenario === 'chain-too-deep',
    );
    expect(tooDeep?.reason).toBe('delegation chain is 4 actors deep, more than the 3 allowed');
  });

  // Okta (emulated from developer.okta.com/docs/guides/set-up-token-exchange): human in uid, agent
  // in cid, no act; rogue-agent has no access-policy rule; the rule's scopes are granted to the
  // second exchange whatever the subject token held.
  it('okta', () => {
    expect(exchangeRows('okta')).toEqual([
      'allow: ALLOW allow (human from uid, agent from cid (no act))',
      "human-unapproved: DENY at api human_denied (IdP exchanges bob's token (no role rule))",
      "delegation-missing: DENY at api delegation_invalid (IdP exchanges carol's token; API: her directory entry lists no agent)",
      'agent-unapproved: DENY at idp access_denied (no access-policy rule lets rogue-agent exchange)',
      "chain-too-deep: N/A - (no chain in this vendor's tokens)",
      "scope-widened: ALLOW allow (no widening rule: IdP grants the rule's scopes, no act records the hop)",
    ]);
  });

  // Entra ID (emulated from v2-oauth2-on-behalf-of-flow): human in oid, agent in azp, no act;
  // rogue-agent has no consent to the API; a later hop's assertion names the API, not the agent.
  it('entraid', () => {
    expect(exchangeRows('entraid')).toEqual([
      'allow: ALLOW allow (human from oid, agent from azp (no act))',
      "human-unapproved: DENY at api human_denied (IdP exchanges bob's token (no role rule))",
      "delegation-missing: DENY at api delegation_invalid (IdP exchanges carol's token; API: her directory entry lists no agent)",
      'agent-unapproved: DENY at idp invalid_grant (AADSTS65001: rogue-agent has no consent to the API)',
      "chain-too-deep: N/A - (no chain in this vendor's tokens)",
      "scope-widened: DENY at idp invalid_grant (AADSTS500131: the later hop's assertion is for the API, not the agent)",
    ]);
  });

  // carol approved no agent; no vendor's exchanged token says so, so the IdP exchanges her token
  // and the API's directory refuses her delegation (commit 913c5fb: the directory's agents hold
  // without a delegation claim too).
  it('denies carol at the API at every vendor: the directory lists no agent for her', () => {
    const carol = results.filter((r) => r.flow === 'exchange' && r.scenario === 'delegation-missing');
    expect(carol.map((r) => `${r.vendor}: ${r.human} ${r.reason}`)).toEqual(
      vendors.map((vendor) => `${vendor}: carol the human may not delegate to this agent`),
    );
  });

  it("names the vendor's own code of each exchange refusal at the IdP", () => {
    const refusals = results
      .filter((r) => r.flow === 'exchange' && r.stoppedAt === 'idp')
      .map((r) => `${r.vendor}/${r.scenario}: ${r.reason}`);
    expect(refusals).toEqual([
      'keycloak/agent-unapproved: IdP refused the token exchange (invalid_request, HTTP 400): agent not approved',
      'auth0/human-unapproved: IdP refused the token exchange (access_denied scope_not_granted, HTTP 403): human not approved',
      'auth0/agent-unapproved: IdP refused the token exchange (unauthorized_client not_custom_api_client, HTTP 403): agent not approved',
      'okta/agent-unapproved: IdP refused the token exchange (access_denied no_matching_policy, HTTP 401): agent not approved',
      'entraid/agent-unapproved: IdP refused the token exchange (invalid_grant AADSTS65001, HTTP 400): agent not approved',
      'entraid/scope-widened: IdP refused the token exchange (invalid_grant AADSTS500131, HTTP 400): agent not approved',
    ]);
  });

  it('shows an exchange refusal at the IdP as such in the table', () => {
    const refused = results.filter((r) => r.flow === 'exchange' && r.stoppedAt === 'idp');
    expect(formatTable(refused).match(/IdP \(exchange\)/g)).toHaveLength(refused.length);
  });
});
