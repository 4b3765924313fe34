import { vendors } from '@dual-auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTable } from '../src/format-table.ts';
import { runScenarios, type ScenarioResult, scenarios } from '../src/scenarios.ts';
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
    expect(results).toHaveLength(scenarios.length * vendors.length);
  });

  it.each(vendors)('%s: every outcome is the expected one', (vendor) => {
    const rows = results.filter((result) => result.vendor === vendor);
    const unexpected = rows
      .filter((result) => !result.pass)
      .map((r) => `${r.flow} ${r.scenario}: ${r.decision} ${r.code}`);
    expect(unexpected).toEqual([]);
    expect(
      rows.filter((result) => result.decision === 'ALLOW').map((r) => `${r.flow}/${r.scenario}`),
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
    for (const result of results) expect(ids.has(result.auditEventId ?? '')).toBe(true);
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
