// A protected tool never runs for a request that did not pass through `authorize` with that tool
// in view (a transport mounted without the middleware, an in-process client, a forged authInfo).
import { generateKeyPairSync } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { describe, expect, it } from 'vitest';
import { createMcpAuth } from './create-mcp-auth.ts';

const auth = createMcpAuth({
  resource: 'https://mcp.example.com/mcp',
  issuer: 'https://sso.example.com/realms/acme',
  keys: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
  vendor: 'keycloak',
  layout: 'agbac',
  humanAuthorizedByIdp: true,
});

describe('protectedTool', () => {
  it('refuses to run a tool whose requirements no decision checked', async () => {
    let ran = false;
    const server = new McpServer({ name: 'finance-tools', version: '1.0.0' });
    auth.protectedTool(server, 'read_report', { requires: { humanRoles: ['FinanceUser'] } }, async () => {
      ran = true;
      return { content: [{ type: 'text', text: 'report' }] };
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'agent', version: '1.0.0' });
    await client.connect(clientSide);
    const result = await client.callTool({ name: 'read_report', arguments: {} });
    await client.close();
    expect(ran).toBe(false);
    expect(result).toMatchObject({ isError: true });
    expect(JSON.stringify(result.content)).toContain('dual-auth requirements were not checked');
  });

  it('refuses a second declaration of a tool with other requirements', () => {
    const server = new McpServer({ name: 'finance-tools', version: '1.0.0' });
    const tool = async () => ({ content: [] });
    expect(() =>
      auth.protectedTool(server, 'write_summary', { requires: { humanRoles: ['a'] } }, tool),
    ).not.toThrow();
    expect(() =>
      auth.protectedTool(new McpServer({ name: 'x', version: '1' }), 'write_summary', { requires: {} }, tool),
    ).toThrow(TypeError);
  });
});
