import type { Vendor } from '@dual-auth/core';
import { defaultIdpFixture } from '@dual-auth/testkit';
import type { ExchangeHop } from './exchange-flow.ts';
import { auth0AgentApi, exchangeSupport } from './exchange-support.ts';
import type { Expectation, Scenario } from './scenarios.ts';

/** The exchange-mode rows, in table order. */
type ExchangeRow =
  | 'allow'
  | 'human-unapproved'
  | 'delegation-missing'
  | 'agent-unapproved'
  | 'chain-too-deep'
  | 'scope-widened';

/** One row at one vendor: the hops it runs, what it must produce, and why (the table's note). */
interface VendorRow {
  readonly hops: readonly ExchangeHop[];
  readonly expected: Expectation;
  readonly note?: string;
}

/** A row the vendor's tokens cannot express: shown with its note, never run. */
const notApplicable = (note: string): VendorRow => ({ hops: [], expected: { decision: 'N/A' }, note });

const noChain = notApplicable("no chain in this vendor's tokens");

const financeAgent: readonly ExchangeHop[] = [{ agentId: 'finance-agent' }];

/** alice's token exchanged by finance-agent and allowed by the API, which reads both subjects. */
const allowed = (note: string): VendorRow => ({ hops: financeAgent, expected: { decision: 'ALLOW' }, note });

/** No exchange rule on the human's roles: the IdP exchanges bob's token, the API refuses bob. */
const bobRefusedByTheApi: VendorRow = {
  hops: financeAgent,
  expected: { decision: 'DENY', stoppedAt: 'api', failed: 'human', code: 'human_denied' },
  note: "IdP exchanges bob's token (no role rule)",
};

/**
 * No IdP records whom a human approved: it exchanges carol's token, and the API's directory, which
 * lists no agent for her, refuses the delegation (the verifier checks the directory's agents even
 * without a delegation claim, which no exchanged token carries).
 */
const carolRefusedByTheApi: VendorRow = {
  hops: financeAgent,
  expected: { decision: 'DENY', stoppedAt: 'api', failed: 'delegation', code: 'delegation_invalid' },
  note: "IdP exchanges carol's token; API: her directory entry lists no agent",
};

/** The IdP refuses the exchange with `code`, naming the agent (as classifyIdpRefusal reads it). */
const refusedByTheIdp = (hops: readonly ExchangeHop[], code: string, note: string): VendorRow => ({
  hops,
  expected: { decision: 'DENY', stoppedAt: 'idp', failed: 'agent', code },
  note,
});

/** finance-agent exchanges alice's token for `read`, then that token for `readAndWrite`. */
const widening = (read: readonly string[], readAndWrite: readonly string[]): readonly ExchangeHop[] => [
  { agentId: 'finance-agent', scope: read },
  { agentId: 'finance-agent', scope: readAndWrite },
];
const apiScopes = { read: ['finance.read'], readAndWrite: ['finance.read', 'finance.write'] };

// Keycloak 26.7.3's standard token exchange names the agent only in `azp`, no `act`
// (StandardTokenExchangeProvider, keycloak/keycloak; `act` is experimental from 26.8): the rfc8693
// layout reads it by the token-exchange mark of its `jti`, the agent with no roles from the token.
// With no `act`, no hop records its scopes: the verifier has no chain to judge. Only clients with
// standard.token.exchange.enabled may exchange (realKeycloakExchangeAgents), and getRequestedScope
// checks only that the scopes are the agent client's.
const keycloak: Readonly<Record<ExchangeRow, VendorRow>> = {
  allow: allowed('agent from azp (Keycloak 26.7.3: no act)'),
  'human-unapproved': bobRefusedByTheApi,
  'delegation-missing': carolRefusedByTheApi,
  'agent-unapproved': refusedByTheIdp(
    [{ agentId: 'rogue-agent' }],
    'invalid_request',
    'token exchange not enabled for rogue-agent',
  ),
  'chain-too-deep': noChain,
  'scope-widened': {
    hops: widening(apiScopes.read, apiScopes.readAndWrite),
    expected: { decision: 'ALLOW' },
    note: "no widening rule: IdP grants the agent client's scopes, no act records the hop",
  },
};

// Okta's on-behalf-of token exchange keeps the human (`uid`) and names the service app in `cid`,
// no `act` (developer.okta.com/docs/guides/set-up-token-exchange); an agent no access-policy rule
// lets exchange is refused by Okta (401 access_denied, no_matching_policy). The scopes granted are
// the requested custom scopes a rule allows, whatever the subject token held.
const okta: Readonly<Record<ExchangeRow, VendorRow>> = {
  allow: allowed('human from uid, agent from cid (no act)'),
  'human-unapproved': bobRefusedByTheApi,
  'delegation-missing': carolRefusedByTheApi,
  'agent-unapproved': refusedByTheIdp(
    [{ agentId: 'rogue-agent' }],
    'access_denied',
    'no access-policy rule lets rogue-agent exchange',
  ),
  'chain-too-deep': noChain,
  'scope-widened': {
    hops: widening(apiScopes.read, apiScopes.readAndWrite),
    expected: { decision: 'ALLOW' },
    note: "no widening rule: IdP grants the rule's scopes, no act records the hop",
  },
};

/** Entra ID delegated scopes of the finance API: `{resource}/{name}`. */
const entraScopes = (names: readonly string[]) =>
  names.map((name) => `${defaultIdpFixture().api.identifier}/${name}`);

// Entra ID's on-behalf-of flow (learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow):
// the human's token must name the agent app in `aud` (else AADSTS500131); the delegated token names
// the human in `oid`, the agent in `azp`, no `act`. An agent app without consent to the API gets
// AADSTS65001 consent_required. A later hop's assertion is the API's token, not one for the agent:
// Entra refuses it for its audience before any scope is compared.
const entraid: Readonly<Record<ExchangeRow, VendorRow>> = {
  allow: allowed('human from oid, agent from azp (no act)'),
  'human-unapproved': bobRefusedByTheApi,
  'delegation-missing': carolRefusedByTheApi,
  'agent-unapproved': refusedByTheIdp(
    [{ agentId: 'rogue-agent' }],
    'invalid_grant',
    'AADSTS65001: rogue-agent has no consent to the API',
  ),
  'chain-too-deep': noChain,
  'scope-widened': refusedByTheIdp(
    widening(entraScopes(apiScopes.read), entraScopes(apiScopes.readAndWrite)),
    'invalid_grant',
    "AADSTS500131: the later hop's assertion is for the API, not the agent",
  ),
};

// Auth0's on-behalf-of token exchange (auth0.com/docs/secure/call-apis-on-users-behalf/
// on-behalf-of-token-exchange): the human in `sub`, the exchanging agent in the outermost `act.sub`,
// every earlier actor one `act` deeper down to the web application the human signed in to. Only
// Custom API clients may exchange (403 unauthorized_client), each only tokens for its own API, so
// each hop asks for the next agent's API. The scopes are the human's RBAC permissions for the
// target API (bob has none), whatever the subject token held; `act` records no scopes.
const auth0: Readonly<Record<ExchangeRow, VendorRow>> = {
  allow: allowed('chain finance-agent, web app (nested act)'),
  'human-unapproved': {
    hops: financeAgent,
    expected: { decision: 'DENY', stoppedAt: 'idp', failed: 'human', code: 'access_denied' },
    note: 'IdP: bob has no permissions for the API (user RBAC)',
  },
  'delegation-missing': carolRefusedByTheApi,
  'agent-unapproved': refusedByTheIdp(
    [{ agentId: 'rogue-agent' }],
    'unauthorized_client',
    'rogue-agent is no Custom API client',
  ),
  'chain-too-deep': {
    hops: [
      { agentId: 'finance-agent', audience: auth0AgentApi('agent-b') },
      { agentId: 'agent-b', audience: auth0AgentApi('agent-c') },
      { agentId: 'agent-c' },
    ],
    expected: { decision: 'DENY', stoppedAt: 'api', failed: 'delegation', code: 'delegation_invalid' },
    note: 'chain agent-c, agent-b, finance-agent, web app: 4 actors',
  },
  'scope-widened': {
    hops: [
      { agentId: 'finance-agent', audience: auth0AgentApi('agent-b'), scope: apiScopes.read },
      { agentId: 'agent-b', scope: apiScopes.readAndWrite },
    ],
    expected: { decision: 'ALLOW' },
    note: "no widening rule: IdP grants the human's permissions, act records no scopes",
  },
};

const rowsByVendor: Partial<Record<Vendor, Readonly<Record<ExchangeRow, VendorRow>>>> = {
  keycloak,
  auth0,
  okta,
  entraid,
};

function rowOf(vendor: Vendor, row: ExchangeRow): VendorRow {
  const found = rowsByVendor[vendor]?.[row];
  if (found === undefined) throw new TypeError(`no exchange row ${row} for ${vendor}`);
  return found;
}

const titles: readonly [ExchangeRow, string, string][] = [
  ['allow', 'approved agent + approved human', 'alice'],
  ['human-unapproved', 'unapproved human (lacks FinanceUser)', 'bob'],
  ['delegation-missing', 'human never approved this agent', 'carol'],
  ['agent-unapproved', 'agent not allowed to act for humans', 'alice'],
  ['chain-too-deep', 'delegation chain deeper than 3 actors', 'alice'],
  ['scope-widened', 'later hop asks for more scope than it held', 'alice'],
];

/** The exchange-mode scenarios, run at each vendor whose exchange mode the demo has. */
export const exchangeScenarios: readonly Scenario[] = titles.map(([id, title, human]) => ({
  id,
  flow: 'exchange',
  title,
  human,
  agent: 'finance-agent',
  // The agents in exchange order (the first exchanges the human's token); `-` for a row not run.
  agentAt: (vendor) =>
    rowOf(vendor, id)
      .hops.map((hop) => hop.agentId)
      .join('→') || '-',
  appliesTo: (vendor) => exchangeSupport(vendor) !== undefined && rowsByVendor[vendor] !== undefined,
  expected: (vendor) => rowOf(vendor, id).expected,
  note: (vendor) => rowOf(vendor, id).note,
  run: (stack, vendor) =>
    stack.exchange.run({ vendor, human, hops: rowOf(vendor, id).hops, task: 'read-report' }),
}));
