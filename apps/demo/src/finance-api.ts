import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Vendor } from '@dual-auth/core';
import { defaultIdpFixture, type EmbeddedIdp, testTls } from '@dual-auth/testkit';
import { createVerifier, type Layout, type Verifier } from '@dual-auth/verifier';
import type { AuditTrail } from './audit-trail.ts';
import { demoVerifierOptions } from './demo-verifier-options.ts';
import { exchangeVendors } from './exchange-support.ts';
import { guardRoute } from './guard-route.ts';
import { closeServer, listen } from './listen.ts';
import { readJsonBody } from './read-json-body.ts';
import { sendJson as send, sendBodyRefusal } from './send-json.ts';
import { agentRequirement, exchangeAgentRequirement } from './vendor-setup.ts';

/** Options of {@link startFinanceApi}. */
export interface FinanceApiOptions {
  readonly idp: EmbeddedIdp;
  readonly vendors: readonly Vendor[];
  readonly appId: string;
  /** The application's public key (PEM): verifies act assertions in the hybrid layout. */
  readonly appPublicKeyPem: string;
  readonly trail: AuditTrail;
}

/** The running finance API. */
export interface FinanceApi {
  /** `https://127.0.0.1:PORT`. Routes: `GET /{vendor}/{layout}/reports`, `POST /{vendor}/{layout}/summaries`. */
  readonly baseUrl: string;
  /** The URL of one vendor's API in one layout (`rfc8693`: exchanged tokens, exchange vendors only). */
  url(vendor: Vendor, layout: Layout): string;
  /**
   * Moves the API's clock forward (scripted "expired token" scenario only; the served API never
   * calls it). `0` puts it back.
   */
  setClockOffset(milliseconds: number): void;
  close(): Promise<void>;
}

const reports: Readonly<Record<string, { revenue: number; expenses: number }>> = {
  Q3: { revenue: 1_180_000, expenses: 905_000 },
  Q4: { revenue: 1_320_000, expenses: 948_000 },
};

/**
 * The resource server: a small finance API protected by `@dual-auth/verifier`. One verifier per
 * vendor and layout (`agbac`: the human inside the IdP's token; `hybrid`: a plain token plus the
 * application-signed `X-Act-Assertion`). The human authorizer is backed by the IdP's users: their
 * roles and the agents they approved.
 */
export async function startFinanceApi(options: FinanceApiOptions): Promise<FinanceApi> {
  const fixture = defaultIdpFixture();
  let clockOffset = 0;
  const clock = () => Date.now() + clockOffset;
  const verifiers = new Map<string, Verifier>();
  const exchanging = exchangeVendors(options.vendors);
  for (const vendor of options.vendors) {
    for (const layout of ['agbac', 'hybrid', 'rfc8693'] as const) {
      if (layout === 'agbac' && (vendor === 'okta' || vendor === 'entraid')) continue;
      if (layout === 'rfc8693' && !exchanging.includes(vendor)) continue;
      verifiers.set(
        `${vendor}/${layout}`,
        createVerifier({
          ...demoVerifierOptions({ ...options, vendor, layout }),
          clock,
          audit: (event) => options.trail.record('api', event),
        }),
      );
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'https://127.0.0.1');
    const [vendor, layout, resource, quarter] = url.pathname.split('/').filter(Boolean);
    const verifier = verifiers.get(`${vendor}/${layout}`);
    const isReport = request.method === 'GET' && resource === 'reports';
    const isSummary = request.method === 'POST' && resource === 'summaries';
    if (verifier === undefined || (!isReport && !isSummary))
      return send(response, 404, { error: 'not_found' });
    const decision = await guardRoute(
      verifier,
      {
        ...(layout === 'rfc8693' ? exchangeAgentRequirement() : agentRequirement(vendor as Vendor)),
        humanRoles: [fixture.humanRole],
        action: isReport ? 'finance.reports.read' : 'finance.summaries.write',
      },
      request,
      response,
    );
    if (decision === undefined) return;
    const auditHeader = { 'x-audit-event-id': decision.auditEventId };
    const by = { agent: decision.agent.id, human: decision.human.id, auditEventId: decision.auditEventId };
    if (isReport) {
      const key = quarter ?? url.searchParams.get('quarter') ?? 'Q4';
      const report = reports[key];
      if (report === undefined) return send(response, 404, { error: 'no_such_quarter' }, auditHeader);
      return send(response, 200, { quarter: key, ...report, ...by }, auditHeader);
    }
    const body = await readJsonBody(request);
    if (!body.ok) {
      const refused = { error: 'invalid_summary', error_description: body.error };
      return sendBodyRefusal(response, body, refused, auditHeader);
    }
    const { netIncome } = body.value;
    if (typeof netIncome !== 'number') {
      return send(
        response,
        400,
        { error: 'invalid_summary', error_description: 'netIncome must be a number' },
        auditHeader,
      );
    }
    return send(
      response,
      201,
      { id: `summary-${decision.auditEventId.slice(-8)}`, netIncome, ...by },
      auditHeader,
    );
  }

  const tls = testTls();
  const server = createServer({ cert: tls.cert, key: tls.key }, (request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, { error: 'server_error' });
      else response.end();
    });
  });
  const port = await listen(server);
  const baseUrl = `https://127.0.0.1:${port}`;
  return {
    baseUrl,
    url: (vendor, layout) => `${baseUrl}/${vendor}/${layout}`,
    setClockOffset: (milliseconds) => {
      clockOffset = milliseconds;
    },
    close: () => closeServer(server),
  };
}
