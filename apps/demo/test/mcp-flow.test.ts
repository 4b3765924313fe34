// The demo's finance-tools MCP server: its RFC 9728 metadata, and the MCP spec's challenges as the
// MCP SDK client (the in-session agent) receives them — 403 insufficient_scope for bob at the
// hybrid vendors' tool call, 401 invalid_token for Keycloak's human-less token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoStack, startDemoStack } from '../src/start-demo-stack.ts';

let stack: DemoStack;

beforeAll(async () => {
  stack = await startDemoStack(['keycloak', 'okta'], {});
}, 60_000);
afterAll(() => stack?.close());

const humanId = (vendor: 'keycloak' | 'okta', name: string) =>
  stack.idp.profile(vendor).humans.find((human) => human.name.startsWith(name))?.id ?? '';

describe('finance-tools MCP server', () => {
  it('serves its protected resource metadata', async () => {
    const url = stack.mcp.url('okta').replace('/okta/mcp', '/.well-known/oauth-protected-resource/okta/mcp');
    const metadata = (await (await fetch(url)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      resource: stack.mcp.url('okta'),
      authorization_servers: [stack.idp.profile('okta').issuer],
      bearer_methods_supported: ['header'],
    });
  });

  it('lets alice through and answers bob with the spec challenges', async () => {
    const run = (vendor: 'keycloak' | 'okta', name: string) =>
      stack.app.runTask({
        vendor,
        humanId: humanId(vendor, name),
        agentId: 'finance-agent',
        flow: 'mcp',
        task: 'post-summary',
      });
    const alice = await run('okta', 'Alice');
    expect(alice).toMatchObject({
      decision: 'ALLOW',
      result: { tool: 'post_summary', summary: { netIncome: 372_000 } },
    });
    const bob = await run('okta', 'Bob');
    expect(bob).toMatchObject({
      decision: 'DENY',
      stoppedAt: 'mcp',
      failed: 'human',
      code: 'human_denied',
      httpStatus: 403,
    });
    expect(bob.reason).toMatch(
      /^Bearer error="insufficient_scope", scope="finance.read", resource_metadata="https:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/okta\/mcp"/,
    );
    const keycloakBob = await run('keycloak', 'Bob');
    expect(keycloakBob).toMatchObject({ decision: 'DENY', code: 'token_invalid', httpStatus: 401 });
    expect(keycloakBob.reason).toMatch(/^Bearer error="invalid_token", resource_metadata=/);
    const entry = stack.trail.byCorrelation(bob.correlationId).findLast((e) => e.source === 'mcp');
    expect(entry?.event).toMatchObject({
      id: bob.auditEventId,
      action: 'tools/call read_report',
      decision: 'deny',
    });
  });
});
