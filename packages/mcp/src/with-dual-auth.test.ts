import { TokenResponse } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { withDualAuth } from './with-dual-auth.ts';

function recordingNext() {
  const seen: Headers[] = [];
  const next = async (_input: string | URL, init?: RequestInit) => {
    seen.push(new Headers(init?.headers));
    return new Response(null, { status: 202 });
  };
  return { seen, next };
}

describe('withDualAuth', () => {
  it('asks the token source on every request and sets the bearer token and the act assertion', async () => {
    const tokens = [
      new TokenResponse({
        accessToken: 'token-1',
        tokenType: 'Bearer',
        expiresIn: 60,
        actAssertion: 'assertion-1',
      }),
      new TokenResponse({ accessToken: 'token-2', tokenType: 'Bearer', expiresIn: 60 }),
    ];
    let asked = 0;
    const { seen, next } = recordingNext();
    const fetchWithAuth = withDualAuth(() => tokens[asked++] as TokenResponse)(next);
    await fetchWithAuth('https://mcp.example.com/mcp', { headers: { 'mcp-protocol-version': '2025-11-25' } });
    await fetchWithAuth('https://mcp.example.com/mcp', { headers: { 'X-Act-Assertion': 'stale' } });
    expect(asked).toBe(2);
    expect(seen[0]?.get('authorization')).toBe('Bearer token-1');
    expect(seen[0]?.get('x-act-assertion')).toBe('assertion-1');
    expect(seen[0]?.get('mcp-protocol-version')).toBe('2025-11-25');
    // A refreshed token without an assertion never travels with an earlier token's assertion.
    expect(seen[1]?.get('authorization')).toBe('Bearer token-2');
    expect(seen[1]?.has('x-act-assertion')).toBe(false);
  });

  it('refuses a token source that is not a function', () => {
    expect(() => withDualAuth('token' as never)).toThrow(TypeError);
  });
});
