// The real MCP SDK client and server over streamable HTTP on 127.0.0.1, against the embedded IdP's
// four vendor profiles: alice (FinanceUser, approved the agent) is allowed; bob (no FinanceUser) and
// carol (never approved the agent) are refused as the MCP authorization spec says
// (modelcontextprotocol.io/specification/2025-11-25/basic/authorization: 401 with
// `resource_metadata` for a missing or invalid token, 403 `error="insufficient_scope"` when the
// token is valid but not enough) — or, where the vendor's IdP checks the human itself (Auth0's
// Action), never get a token.
import { TokenRequestError, type TokenResponse } from '@dual-auth/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpAuth } from '../src/create-mcp-auth.ts';
import { withDualAuth } from '../src/with-dual-auth.ts';
import { type McpStack, startMcpStack, vendorLayouts } from './mcp-stack.ts';

let stack: McpStack;

beforeAll(async () => {
  stack = await startMcpStack();
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

async function connect(tokenSource: () => Promise<TokenResponse>, seen: Response[]): Promise<Client> {
  const recording: FetchLike = async (input, init) => {
    const response = await fetch(input, init);
    seen.push(response.ok ? response : response.clone());
    return response;
  };
  const transport = new StreamableHTTPClientTransport(new URL(stack.mcpUrl), {
    fetch: withDualAuth(tokenSource)(recording),
  });
  const client = new Client({ name: 'finance-agent', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

function lastChallenge(seen: Response[]): string {
  return seen.at(-1)?.headers.get('www-authenticate') ?? '';
}

describe.each(vendorLayouts)('$vendor, $layout layout', ({ vendor, layout }) => {
  beforeAll(() => {
    stack.use(vendor, layout);
  });
  const metadataUrl = () => stack.mcpUrl.replace('/mcp', '/.well-known/oauth-protected-resource/mcp');

  it('alice: the tool runs and sees both subjects; the decision is audited per tool', async () => {
    const alice = stack.idp.profile(vendor).humans.find((h) => h.name.startsWith('Alice'));
    const seen: Response[] = [];
    const client = await connect(() => stack.tokenFor(vendor, layout, 'alice'), seen);
    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name)).toEqual(['read_report']);
    const result = await client.callTool({ name: 'read_report', arguments: { quarter: 'Q4' } });
    await client.close();
    expect(result.isError).not.toBe(true);
    const content = result.content as { type: string; text: string }[];
    const answer = JSON.parse(content[0]?.text ?? '{}') as { human: string; agent: string; chain: string[] };
    expect(answer.human).toBe(alice?.id);
    expect(answer.chain).toEqual([answer.agent]);
    const toolEvent = stack.audit.findLast((event) => event.action === 'tools/call read_report');
    expect(toolEvent).toMatchObject({ decision: 'allow', humanId: alice?.id, agentId: answer.agent });
    expect(seen.filter((response) => response.status === 401 || response.status === 403)).toEqual([]);
  });

  it('bob (lacks FinanceUser) is refused', async () => {
    const seen: Response[] = [];
    if (vendor === 'auth0' && layout === 'agbac') {
      // The Auth0 Action refuses a human without the role before any token is issued.
      expect(await refusal(stack.tokenFor(vendor, layout, 'bob'))).toBeInstanceOf(TokenRequestError);
      return;
    }
    if (layout === 'agbac') {
      // Keycloak's act mapper issues the token without a human: 401 invalid_token at initialize.
      const error = await refusal(connect(() => stack.tokenFor(vendor, layout, 'bob'), seen));
      expect(error).toBeInstanceOf(StreamableHTTPError);
      expect((error as StreamableHTTPError).code).toBe(401);
      expect(lastChallenge(seen)).toMatch(/^Bearer error="invalid_token", /);
      expect(lastChallenge(seen)).toContain(`resource_metadata="${metadataUrl()}"`);
      return;
    }
    // Hybrid: bob may connect (no tool named), but calling the tool is a 403 step-up challenge.
    const client = await connect(() => stack.tokenFor(vendor, layout, 'bob'), seen);
    const error = await refusal(client.callTool({ name: 'read_report', arguments: { quarter: 'Q4' } }));
    await client.close();
    expect(error).toBeInstanceOf(StreamableHTTPError);
    expect((error as StreamableHTTPError).code).toBe(403);
    const challenge = lastChallenge(seen);
    expect(challenge).toMatch(/^Bearer error="insufficient_scope"/);
    expect(challenge).toContain(`resource_metadata="${metadataUrl()}"`);
    expect(challenge).toContain('error_description="the human lacks role FinanceUser');
    if (vendor === 'okta') expect(challenge).toContain('scope="finance.read"');
    expect(await seen.at(-1)?.json()).toMatchObject({ error: 'human_denied' });
    expect(stack.audit.at(-1)).toMatchObject({
      decision: 'deny',
      denial: 'human_denied',
      action: 'tools/call read_report',
    });
  });

  it('carol (never approved the agent) is refused', async () => {
    const seen: Response[] = [];
    if (vendor === 'auth0' && layout === 'agbac') {
      expect(await refusal(stack.tokenFor(vendor, layout, 'carol'))).toBeInstanceOf(TokenRequestError);
      return;
    }
    const error = await refusal(connect(() => stack.tokenFor(vendor, layout, 'carol'), seen));
    expect(error).toBeInstanceOf(StreamableHTTPError);
    const challenge = lastChallenge(seen);
    expect(challenge).toContain(`resource_metadata="${metadataUrl()}"`);
    if (layout === 'agbac') {
      expect((error as StreamableHTTPError).code).toBe(401);
      expect(challenge).toMatch(/^Bearer error="invalid_token"/);
    } else {
      expect((error as StreamableHTTPError).code).toBe(403);
      expect(challenge).toMatch(/^Bearer error="insufficient_scope"/);
      expect(await seen.at(-1)?.json()).toMatchObject({ error: 'delegation_invalid' });
    }
  });
});

describe('the protected resource', () => {
  beforeAll(() => {
    stack.use('keycloak', 'agbac');
  });

  it('serves RFC 9728 metadata naming itself and the IdP', async () => {
    const auth = stack.use('keycloak', 'agbac');
    expect(auth.resourceMetadataPath).toBe('/.well-known/oauth-protected-resource/mcp');
    const response = await fetch(auth.resourceMetadataUrl);
    expect(await response.json()).toEqual({
      resource: stack.mcpUrl,
      authorization_servers: [stack.idp.profile('keycloak').issuer],
      bearer_methods_supported: ['header'],
      scopes_supported: [...stack.idp.profile('keycloak').scope],
    });
  });

  it('answers a request without a token 401 with only resource_metadata', async () => {
    const response = await fetch(stack.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${stack.mcpUrl.replace('/mcp', '/.well-known/oauth-protected-resource/mcp')}"`,
    );
  });

  it('binds the audience to the resource URL: a token for this server is refused by another (RFC 8707)', async () => {
    const token = await stack.tokenFor('keycloak', 'agbac', 'alice');
    const here = stack.use('keycloak', 'agbac');
    const otherServer = createMcpAuth({
      resource: 'https://reports.example.com/mcp',
      issuer: stack.idp.profile('keycloak').issuer,
      jwksUri: stack.idp.profile('keycloak').jwksUri,
      vendor: 'keycloak',
      layout: 'agbac',
      humanAuthorizedByIdp: true,
    });
    const request = { headers: { authorization: `Bearer ${token.accessToken}` }, method: 'POST' };
    expect((await here.authorize(request)).ok).toBe(true);
    const refused = await otherServer.authorize(request);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.denial.status).toBe(401);
      expect(refused.denial.headers['www-authenticate']).toContain(
        'resource_metadata="https://reports.example.com/.well-known/oauth-protected-resource/mcp"',
      );
    }
  });

  it('gives the SDK bearer middleware a token verifier, and keeps the token out of JSON', async () => {
    const auth = stack.use('keycloak', 'agbac');
    const token = await stack.tokenFor('keycloak', 'agbac', 'alice');
    const authInfo = await auth.tokenVerifier.verifyAccessToken(token.accessToken);
    expect(authInfo.clientId).toBe('finance-agent');
    expect(authInfo.resource?.href).toBe(stack.mcpUrl);
    expect(authInfo.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(authInfo.token).toBe(token.accessToken);
    expect(JSON.stringify(authInfo)).not.toContain(token.accessToken);
    await expect(auth.tokenVerifier.verifyAccessToken(`${token.accessToken}x`)).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });
});
