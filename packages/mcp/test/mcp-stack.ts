// A real MCP server (the SDK's McpServer over streamable HTTP, behind Express) protected by
// createMcpAuth, the embedded IdP issuing tokens whose audience is that server's URL, and the
// application's key signing act assertions: everything on 127.0.0.1.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Auth0Adapter } from '@dual-auth/adapter-auth0';
import { EntraIDAdapter } from '@dual-auth/adapter-entraid';
import { KeycloakAdapter } from '@dual-auth/adapter-keycloak';
import { OktaAdapter } from '@dual-auth/adapter-okta';
import { InSessionTokenRequest } from '@dual-auth/client';
import type { AuditSink } from '@dual-auth/core';
import { type AuditEvent, type IdpAdapter, Secret, type TokenResponse, type Vendor } from '@dual-auth/core';
import { HybridSender, UserSession } from '@dual-auth/sender';
import {
  defaultIdpFixture,
  type EmbeddedIdp,
  startEmbeddedIdp,
  testConfig,
  trustTestCa,
} from '@dual-auth/testkit';
import { createStaticHumanAuthorizer, type Layout } from '@dual-auth/verifier';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express from 'express';
import { z } from 'zod';
import { createMcpAuth, type McpAuth } from '../src/create-mcp-auth.ts';
import { dualAuthOf } from '../src/dual-auth-of.ts';

export const APP_ID = 'https://app.dual-auth.test';
export const vendorLayouts: readonly { vendor: Vendor; layout: Extract<Layout, 'agbac' | 'hybrid'> }[] = [
  { vendor: 'keycloak', layout: 'agbac' },
  { vendor: 'keycloak', layout: 'hybrid' },
  { vendor: 'auth0', layout: 'agbac' },
  { vendor: 'auth0', layout: 'hybrid' },
  { vendor: 'okta', layout: 'hybrid' },
  { vendor: 'entraid', layout: 'hybrid' },
];

/** What each vendor's tokens carry for the finance agent (Okta: `scp`, the others: roles). */
export const agentRequirement = (vendor: Vendor) =>
  vendor === 'okta' ? { agentScopes: ['finance.read'] } : { agentRoles: ['FinanceAgent'] };

export interface McpStack {
  readonly idp: EmbeddedIdp;
  readonly mcpUrl: string;
  readonly audit: AuditEvent[];
  /** Routes the MCP endpoint to the auth of one vendor and layout. */
  use(vendor: Vendor, layout: Layout, options?: { readonly audit?: AuditSink }): McpAuth;
  tokenFor(vendor: Vendor, layout: Layout, human: 'alice' | 'bob' | 'carol'): Promise<TokenResponse>;
  close(): Promise<void>;
}

function financeServer(auth: McpAuth, vendor: Vendor): McpServer {
  const server = new McpServer({ name: 'finance-tools', version: '1.0.0' });
  auth.protectedTool(
    server,
    'read_report',
    {
      description: 'Quarterly revenue and expenses',
      inputSchema: { quarter: z.enum(['Q3', 'Q4']) },
      requires: { ...agentRequirement(vendor), humanRoles: ['FinanceUser'] },
    },
    async ({ quarter }, extra) => {
      const context = dualAuthOf(extra);
      const text = JSON.stringify({
        quarter,
        agent: context?.agent.id,
        human: context?.human.id,
        chain: context?.chain,
      });
      return { content: [{ type: 'text', text }] };
    },
  );
  return server;
}

export async function startMcpStack(): Promise<McpStack> {
  const untrust = trustTestCa();
  const audit: AuditEvent[] = [];
  let current: { auth: McpAuth; vendor: Vendor } | undefined;
  const app = express();
  app.get('/.well-known/oauth-protected-resource/mcp', (_request, response) => {
    response.json(current?.auth.protectedResourceMetadata);
  });
  app.post(
    '/mcp',
    express.json(),
    (request, response, next) => current?.auth.middleware(request, response, next),
    async (request, response) => {
      const { auth, vendor } = current as { auth: McpAuth; vendor: Vendor };
      const server = financeServer(auth, vendor);
      const transport = new StreamableHTTPServerTransport({
        enableJsonResponse: true,
      });
      response.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(request, response, request.body);
    },
  );
  const http: Server = createServer(app);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const mcpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  const fixture = defaultIdpFixture();
  const idp = await startEmbeddedIdp({
    fixture: { ...fixture, api: { ...fixture.api, identifier: mcpUrl } },
  });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const sender = await HybridSender.create({
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    appId: APP_ID,
  });
  const appPublicKey = publicKey.export({ type: 'spki', format: 'pem' }) as string;

  function use(vendor: Vendor, layout: Layout, options: { readonly audit?: AuditSink } = {}): McpAuth {
    const profile = idp.profile(vendor);
    const auth = createMcpAuth({
      resource: mcpUrl,
      // Entra ID v2 tokens carry the API's client id, never its URL: the one vendor told its audience.
      ...(vendor === 'entraid' ? { audience: profile.audience } : {}),
      issuer: profile.issuer,
      jwksUri: profile.jwksUri,
      vendor,
      layout,
      ...(vendor === 'auth0' && layout === 'agbac' ? { humanClaim: fixture.auth0ActClaim } : {}),
      ...(layout === 'hybrid' ? { hybrid: { keys: appPublicKey, issuer: APP_ID } } : {}),
      humanAuthorizer: createStaticHumanAuthorizer(
        Object.fromEntries(profile.humans.map((h) => [h.id, { roles: h.roles, agents: h.approvedAgents }])),
      ),
      audit: options.audit ?? ((event) => void audit.push(event)),
      scopesSupported: profile.scope,
    });
    current = { auth, vendor };
    return auth;
  }

  const requests = new Map<string, InSessionTokenRequest>();
  function tokenRequest(vendor: Vendor, layout: Layout): InSessionTokenRequest {
    const key = `${vendor}/${layout}`;
    const known = requests.get(key);
    if (known !== undefined) return known;
    const profile = idp.profile(vendor);
    const agent = profile.agents.find((candidate) => candidate.clientId === 'finance-agent');
    if (agent === undefined) throw new Error('fixture agent finance-agent missing');
    const config = testConfig({
      vendor,
      tokenUrl: profile.tokenEndpoint,
      clientId: agent.clientId,
      clientSecret: new Secret(agent.clientSecret),
      audience: profile.audience,
      scope: profile.scope,
    });
    const adapterOptions = {
      signActAssertion: sender.createActAssertionSigner({ audience: profile.audience }),
      mode: layout === 'hybrid' ? ('hybrid' as const) : ('agbac' as const),
    };
    const adapters: Record<Vendor, () => IdpAdapter> = {
      keycloak: () => new KeycloakAdapter(config, adapterOptions),
      auth0: () => new Auth0Adapter(config, adapterOptions),
      okta: () => new OktaAdapter(config, adapterOptions),
      entraid: () => new EntraIDAdapter(config, adapterOptions),
    };
    const created = new InSessionTokenRequest({ adapter: adapters[vendor]() });
    requests.set(key, created);
    return created;
  }

  async function tokenFor(vendor: Vendor, layout: Layout, name: 'alice' | 'bob' | 'carol') {
    const human = idp.profile(vendor).humans.find((h) => h.name.toLowerCase().startsWith(name));
    if (human === undefined) throw new Error(`fixture human ${name} missing`);
    const act = sender.extractActFromSession(
      new UserSession({
        userId: human.id,
        userEmail: human.email,
        userName: human.name,
        ...(vendor === 'entraid' ? { userOid: human.id } : {}),
      }),
    );
    return tokenRequest(vendor, layout).requestToken({
      agentId: 'finance-agent',
      act,
      scope: idp.profile(vendor).scope,
    });
  }

  return {
    idp,
    mcpUrl,
    audit,
    use,
    tokenFor,
    async close() {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await idp.close();
      untrust();
    },
  };
}
