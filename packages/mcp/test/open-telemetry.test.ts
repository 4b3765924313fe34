// Decisions recorded in OpenTelemetry, read back from the SDK's InMemorySpanExporter: the MCP
// server's verifier (an ordinary `createVerifier` audit sink) emits one `dual_auth.decision` span
// per decision with the agent id, the human's IAM id, the chain, the decision and the reason —
// and neither the token, the act assertion, nor the human's email or name.
import type { AuditEvent, TokenResponse } from '@dual-auth/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenTelemetryAuditSink, DECISION_SPAN_NAME } from '../src/create-open-telemetry-audit-sink.ts';
import { withDualAuth } from '../src/with-dual-auth.ts';
import { type McpStack, startMcpStack } from './mcp-stack.ts';

let stack: McpStack;
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(async () => {
  stack = await startMcpStack();
  stack.use('okta', 'hybrid', {
    audit: createOpenTelemetryAuditSink({ tracer: provider.getTracer('test') }),
  });
}, 60_000);

afterAll(async () => {
  await provider.shutdown();
  await stack?.close();
});

async function callReport(token: TokenResponse): Promise<void> {
  const transport = new StreamableHTTPClientTransport(new URL(stack.mcpUrl), {
    fetch: withDualAuth(() => token)(fetch),
  });
  const client = new Client({ name: 'finance-agent', version: '1.0.0' });
  await client.connect(transport);
  await client.callTool({ name: 'read_report', arguments: { quarter: 'Q4' } }).catch(() => undefined);
  await client.close();
}

const toolSpan = (spans: readonly ReadableSpan[]) =>
  spans.findLast((span) => span.attributes['dual_auth.action'] === 'tools/call read_report');

describe('createOpenTelemetryAuditSink', () => {
  it('records an allowed tool call with both subjects and the chain', async () => {
    const alice = stack.idp.profile('okta').humans.find((h) => h.name.startsWith('Alice'));
    exporter.reset();
    const token = await stack.tokenFor('okta', 'hybrid', 'alice');
    await callReport(token);
    const spans = exporter.getFinishedSpans();
    expect(spans.every((span) => span.name === DECISION_SPAN_NAME)).toBe(true);
    const span = toolSpan(spans);
    expect(span?.attributes).toMatchObject({
      'dual_auth.decision': 'allow',
      'dual_auth.reason': 'allowed',
      'dual_auth.human.id': alice?.id,
      'dual_auth.delegation.type': 'explicit',
    });
    const agent = span?.attributes['dual_auth.agent.id'];
    expect(typeof agent).toBe('string');
    expect(span?.attributes['dual_auth.chain']).toEqual([agent]);
    const everything = JSON.stringify(spans.map((s) => ({ attributes: s.attributes, events: s.events })));
    for (const secret of [token.accessToken, token.actAssertion, alice?.email, alice?.name]) {
      expect(secret).toBeTruthy();
      expect(everything).not.toContain(secret);
    }
  });

  it('records a denied tool call with the denial code and its reason', async () => {
    exporter.reset();
    await callReport(await stack.tokenFor('okta', 'hybrid', 'bob'));
    expect(toolSpan(exporter.getFinishedSpans())?.attributes).toMatchObject({
      'dual_auth.decision': 'deny',
      'dual_auth.denial': 'human_denied',
      'dual_auth.reason': 'the human lacks role FinanceUser',
    });
  });

  it('hands every event on to the next sink', async () => {
    const handed: string[] = [];
    const sink = createOpenTelemetryAuditSink({
      tracer: provider.getTracer('test'),
      next: (event) => void handed.push(event.id),
    });
    const event: AuditEvent = {
      id: 'event-1',
      timestamp: new Date(0).toISOString(),
      correlationId: 'correlation-1',
      agentId: 'finance-agent',
      humanId: undefined,
      action: 'initialize',
      resource: '/mcp',
      delegationType: undefined,
      delegationContext: {},
      decision: 'deny',
      reason: 'no bearer token',
      denial: 'token_invalid',
    };
    exporter.reset();
    await sink(event);
    expect(handed).toEqual(['event-1']);
    expect(exporter.getFinishedSpans()[0]?.attributes).not.toHaveProperty('dual_auth.human.id');
  });
});
