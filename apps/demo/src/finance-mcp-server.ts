import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Vendor } from '@dual-auth/core';
import { createMcpAuth, dualAuthOf, type McpAuth } from '@dual-auth/mcp';
import { createOpenTelemetryAuditSink } from '@dual-auth/mcp/otel';
import { defaultIdpFixture, type EmbeddedIdp, testTls } from '@dual-auth/testkit';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import type { AuditTrail } from './audit-trail.ts';
import { demoVerifierOptions } from './demo-verifier-options.ts';
import { closeServer, listen } from './listen.ts';
import { readJsonBody } from './read-json-body.ts';
import { sendJson as send, sendBodyRefusal } from './send-json.ts';
import { agentRequirement, nativeLayout } from './vendor-setup.ts';

/** Options of {@link startFinanceMcpServer}. */
export interface FinanceMcpServerOptions {
  readonly idp: EmbeddedIdp;
  readonly vendors: readonly Vendor[];
  readonly appId: string;
  /** The application's public key (PEM): verifies act assertions in the hybrid layout. */
  readonly appPublicKeyPem: string;
  readonly trail: AuditTrail;
}

/** The running finance-tools MCP server. */
export interface FinanceMcpServer {
  /** `https://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  /** The MCP endpoint of one vendor: `https://127.0.0.1:PORT/{vendor}/mcp`. */
  url(vendor: Vendor): string;
  close(): Promise<void>;
}

const reports: Readonly<Record<string, { revenue: number; expenses: number }>> = {
  Q3: { revenue: 1_180_000, expenses: 905_000 },
  Q4: { revenue: 1_320_000, expenses: 948_000 },
};

function financeTools(auth: McpAuth, vendor: Vendor): McpServer {
  const server = new McpServer({ name: 'finance-tools', version: '1.0.0' });
  const requires = { ...agentRequirement(vendor), humanRoles: [defaultIdpFixture().humanRole] };
  const by = (extra: Parameters<typeof dualAuthOf>[0]) => {
    const context = dualAuthOf(extra);
    return { agent: context?.agent.id, human: context?.human.id, auditEventId: context?.auditEventId };
  };
  auth.protectedTool(
    server,
    'read_report',
    {
      description: 'Revenue and expenses of a quarter',
      inputSchema: { quarter: z.enum(['Q3', 'Q4']) },
      requires,
    },
    async ({ quarter }, extra) => ({
      content: [{ type: 'text', text: JSON.stringify({ quarter, ...reports[quarter], ...by(extra) }) }],
    }),
  );
  auth.protectedTool(
    server,
    'post_summary',
    {
      description: 'Files the net income of a quarter',
      inputSchema: { quarter: z.enum(['Q3', 'Q4']), netIncome: z.number() },
      requires,
    },
    async ({ quarter, netIncome }, extra) => ({
      content: [{ type: 'text', text: JSON.stringify({ quarter, netIncome, ...by(extra) }) }],
    }),
  );
  return server;
}

/**
 * The MCP side of the demo: a finance-tools MCP server (the official SDK's `McpServer` over
 * streamable HTTP) protected by `@dual-auth/mcp`, one endpoint per vendor in its native layout.
 * Each tool call is checked for agent AND human AND delegation before the tool runs; denials carry
 * the MCP spec's challenges; decisions go to the audit trail through the OpenTelemetry sink (a
 * no-op here: the demo registers no tracer).
 */
export async function startFinanceMcpServer(options: FinanceMcpServerOptions): Promise<FinanceMcpServer> {
  const auths = new Map<string, McpAuth>();
  let baseUrl = '';
  const tls = testTls();

  function authOf(vendor: Vendor): McpAuth {
    return createMcpAuth({
      // The embedded IdP serves one API, the finance API: its tokens carry that audience (set
      // here). A real deployment registers the MCP server as its own API, whose identifier is
      // `resource`, the default audience.
      ...demoVerifierOptions({ ...options, vendor, layout: nativeLayout(vendor) }),
      resource: `${baseUrl}/${vendor}/mcp`,
      scopesSupported: options.idp.profile(vendor).scope,
      audit: createOpenTelemetryAuditSink({ next: (event) => options.trail.record('mcp', event) }),
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'https://127.0.0.1');
    const wellKnown = '/.well-known/oauth-protected-resource/';
    const vendor = (url.pathname.startsWith(wellKnown) ? url.pathname.slice(wellKnown.length) : url.pathname)
      .split('/')
      .filter(Boolean)[0];
    const auth = auths.get(vendor ?? '');
    if (auth === undefined) return send(response, 404, { error: 'not_found' });
    if (request.method === 'GET' && url.pathname === auth.resourceMetadataPath)
      return send(response, 200, auth.protectedResourceMetadata);
    if (url.pathname !== auth.resource.pathname) return send(response, 404, { error: 'not_found' });
    // Stateless server: no SSE stream to open, no session to end.
    if (request.method !== 'POST') return send(response, 405, { error: 'method_not_allowed' });
    const body = await readJsonBody(request);
    if (!body.ok) return sendBodyRefusal(response, body);
    const outcome = await auth.authorize(request, body.value);
    if (!outcome.ok)
      return send(response, outcome.denial.status, outcome.denial.body, outcome.denial.headers);
    const server = financeTools(auth, vendor as Vendor);
    const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(Object.assign(request, { auth: outcome.authInfo }), response, body.value);
  }

  const server = createServer({ cert: tls.cert, key: tls.key }, (request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, { error: 'server_error' });
      else response.end();
    });
  });
  const port = await listen(server);
  baseUrl = `https://127.0.0.1:${port}`;
  for (const vendor of options.vendors) auths.set(vendor, authOf(vendor));
  return { baseUrl, url: (vendor) => `${baseUrl}/${vendor}/mcp`, close: () => closeServer(server) };
}
