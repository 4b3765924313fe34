import { readFileSync } from 'node:fs';
import type { Vendor } from '@dual-auth/core';
import { type EmbeddedIdp, startEmbeddedIdp, trustTestCa, type WebClientFixture } from '@dual-auth/testkit';
import { type AgentService, startAgentService } from './agent-service.ts';
import type { SharedSettings } from './agent-setup.ts';
import { type AuditTrail, createAuditTrail } from './audit-trail.ts';
import { createDemoApplication, type DemoApplication } from './demo-application.ts';
import { type DemoKeys, resolveDemoKeys } from './demo-keys.ts';
import { createExchangeFlow, type ExchangeFlow } from './exchange-flow.ts';
import { exchangeFixture, exchangeWebClients } from './exchange-support.ts';
import { type FinanceApi, startFinanceApi } from './finance-api.ts';
import { type FinanceMcpServer, startFinanceMcpServer } from './finance-mcp-server.ts';
import { nativeLayout } from './vendor-setup.ts';

/** Default `APP_ID` (issuer of act JWTs and act assertions) when the environment sets none. */
export const DEFAULT_APP_ID = 'https://app.dual-auth.demo';

/** Everything the demo runs: IdP, finance API, out-of-session agent, application, audit trail. */
export interface DemoStack {
  readonly vendors: readonly Vendor[];
  readonly idp: EmbeddedIdp;
  readonly api: FinanceApi;
  /** The finance-tools MCP server, protected by `@dual-auth/mcp`. */
  readonly mcp: FinanceMcpServer;
  readonly agentService: AgentService;
  readonly app: DemoApplication;
  /** Exchange mode: the human's token exchanged by agents (vendors whose exchange has landed). */
  readonly exchange: ExchangeFlow;
  readonly trail: AuditTrail;
  readonly shared: SharedSettings;
  readonly keyOrigin: DemoKeys['origin'];
  close(): Promise<void>;
}

/**
 * Starts the embedded IdP with the selected vendor profiles and the demo's services on 127.0.0.1.
 * `environment` supplies `APP_ID`, `APP_PRIVATE_KEY_PATH` and `APP_PUBLIC_KEY_PATH` (default
 * `process.env`); an ephemeral key pair is generated when no key is given. `options.webClient`
 * registers the web application at the IdP for the human sign-in (`--serve`).
 */
export async function startDemoStack(
  vendors: readonly Vendor[],
  environment: Readonly<Record<string, string | undefined>> = process.env,
  options: { readonly webClient?: WebClientFixture } = {},
): Promise<DemoStack> {
  const keys = resolveDemoKeys(environment);
  const untrust = trustTestCa();
  const closers: (() => Promise<void> | void)[] = [untrust, keys.dispose];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const shared: SharedSettings = {
      appId: environment.APP_ID?.trim() || DEFAULT_APP_ID,
      appPrivateKeyPath: keys.privateKeyPath,
      appPublicKeyPath: keys.publicKeyPath,
    };
    const trail = createAuditTrail();
    const webClients = [...exchangeWebClients(vendors), ...(options.webClient ? [options.webClient] : [])];
    const fixture = exchangeFixture(vendors);
    const idp = await startEmbeddedIdp({
      vendors,
      ...(fixture ? { fixture } : {}),
      ...(webClients.length > 0 ? { webClients } : {}),
    });
    closers.push(() => idp.close());
    const api = await startFinanceApi({
      idp,
      vendors,
      appId: shared.appId,
      appPublicKeyPem: readFileSync(keys.publicKeyPath, 'utf8'),
      trail,
    });
    closers.push(() => api.close());
    const mcp = await startFinanceMcpServer({
      idp,
      vendors,
      appId: shared.appId,
      appPublicKeyPem: readFileSync(keys.publicKeyPath, 'utf8'),
      trail,
    });
    closers.push(() => mcp.close());
    const agentService = await startAgentService({
      idp,
      vendors,
      shared,
      apiUrl: (vendor) => api.url(vendor, nativeLayout(vendor)),
      trail,
    });
    closers.push(() => agentService.close());
    const app = await createDemoApplication({ idp, vendors, shared, api, agentService, mcp, trail });
    const exchange = createExchangeFlow({ idp, shared, api, trail });
    return {
      vendors,
      idp,
      api,
      mcp,
      agentService,
      app,
      exchange,
      trail,
      shared,
      keyOrigin: keys.origin,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
