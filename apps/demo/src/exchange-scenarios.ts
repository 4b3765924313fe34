import type { Vendor } from '@dual-auth/core';
import type { ExchangeHop } from './exchange-flow.ts';
import { exchangeSupport } from './exchange-support.ts';
import type { Expectation, Scenario } from './scenarios.ts';

/** The exchange-mode rows, in table order. */
type ExchangeRow = 'allow' | 'human-unapproved' | 'agent-unapproved' | 'chain-too-deep' | 'scope-widened';

/** One row at one vendor: the hops it runs, what it must produce, and why (the table's note). */
interface VendorRow {
  readonly hops: readonly ExchangeHop[];
  readonly expected: Expectation;
  readonly note?: string;
}

/** A row the vendor's tokens cannot express: shown with its note, never run. */
const notApplicable = (note: string): VendorRow => ({ hops: [], expected: { decision: 'N/A' }, note });

const noChain = notApplicable("no chain in this vendor's tokens");

// Keycloak 26.7.3's standard token exchange names the agent only in `azp`, no `act`
// (StandardTokenExchangeProvider, keycloak/keycloak; `act` is experimental from 26.8): the rfc8693
// layout reads it by the token-exchange mark of its `jti`, the agent with no roles from the token.
// With no `act`, no hop records its scopes: the verifier has no chain to judge.
const keycloak: Readonly<Record<ExchangeRow, VendorRow>> = {
  allow: {
    hops: [{ agentId: 'finance-agent' }],
    expected: { decision: 'ALLOW' },
    note: 'agent from azp (Keycloak 26.7.3: no act)',
  },
  // The exchange has no rule on the human's roles: the IdP exchanges bob's token, the API refuses.
  'human-unapproved': {
    hops: [{ agentId: 'finance-agent' }],
    expected: { decision: 'DENY', stoppedAt: 'api', failed: 'human', code: 'human_denied' },
    note: "IdP exchanges bob's token (no role rule)",
  },
  // Only clients with standard.token.exchange.enabled may exchange (realKeycloakExchangeAgents).
  'agent-unapproved': {
    hops: [{ agentId: 'rogue-agent' }],
    expected: { decision: 'DENY', stoppedAt: 'idp', failed: 'agent', code: 'invalid_request' },
    note: 'token exchange not enabled for rogue-agent',
  },
  'chain-too-deep': noChain,
  // getRequestedScope checks only that the scopes are the agent client's: the second exchange of
  // finance-agent's own finance.read token is granted finance.write too, and no act records the hop.
  'scope-widened': {
    hops: [
      { agentId: 'finance-agent', scope: ['finance.read'] },
      { agentId: 'finance-agent', scope: ['finance.read', 'finance.write'] },
    ],
    expected: { decision: 'ALLOW' },
    note: "no widening rule: IdP grants the agent client's scopes, no act records the hop",
  },
};

const rowsByVendor: Partial<Record<Vendor, Readonly<Record<ExchangeRow, VendorRow>>>> = { keycloak };

function rowOf(vendor: Vendor, row: ExchangeRow): VendorRow {
  const found = rowsByVendor[vendor]?.[row];
  if (found === undefined) throw new TypeError(`no exchange row ${row} for ${vendor}`);
  return found;
}

const titles: readonly [ExchangeRow, string, string, string][] = [
  ['allow', 'approved agent + approved human', 'alice', 'finance-agent'],
  ['human-unapproved', 'unapproved human (lacks FinanceUser)', 'bob', 'finance-agent'],
  ['agent-unapproved', 'agent not allowed to act for humans', 'alice', 'rogue-agent'],
  ['chain-too-deep', 'delegation chain deeper than 3 agents', 'alice', 'agent→agent→agent→agent'],
  ['scope-widened', 'later hop asks for more scope than it held', 'alice', 'finance-agent→finance-agent'],
];

/** The exchange-mode scenarios, run at each vendor whose exchange mode the demo has. */
export const exchangeScenarios: readonly Scenario[] = titles.map(([id, title, human, agent]) => ({
  id,
  flow: 'exchange',
  title,
  human,
  agent,
  appliesTo: (vendor) => exchangeSupport(vendor) !== undefined && rowsByVendor[vendor] !== undefined,
  expected: (vendor) => rowOf(vendor, id).expected,
  note: (vendor) => rowOf(vendor, id).note,
  run: (stack, vendor) =>
    stack.exchange.run({ vendor, human, hops: rowOf(vendor, id).hops, task: 'read-report' }),
}));
