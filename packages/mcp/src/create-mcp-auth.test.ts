import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMcpAuth, type McpAuthOptions } from './create-mcp-auth.ts';

const appKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
const base = {
  resource: 'https://mcp.example.com/mcp',
  issuer: 'https://login.microsoftonline.com/tenant/v2.0',
  keys: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
  vendor: 'entraid',
  layout: 'hybrid',
  humanRolesClaim: 'roles',
} as const;

describe('createMcpAuth options: the verifier vocabulary passed through', () => {
  it('takes the hybrid layout as one hybrid object, like createVerifier', () => {
    const options: McpAuthOptions = { ...base, hybrid: { keys: appKey, issuer: 'https://app.example.com' } };
    expect(createMcpAuth(options).resource.href).toBe('https://mcp.example.com/mcp');
  });

  it('refuses the pre-0.2 flat names with a TypeError naming the nested one', () => {
    const flat = { ...base, actAssertionKeys: appKey, actAssertionIssuer: 'https://app.example.com' };
    expect(() => createMcpAuth(flat as McpAuthOptions)).toThrow(
      new TypeError('createVerifier: actAssertionKeys was renamed hybrid.keys'),
    );
  });
});
