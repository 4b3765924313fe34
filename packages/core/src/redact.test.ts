import { describe, expect, it } from 'vitest';
import { redact, redactText } from './redact.ts';
import { Secret } from './secret.ts';

const jwt = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlLWNhbmFyeQ';
const pem = '-----BEGIN PRIVATE KEY-----\nMIIEcanarykeymaterial\n-----END PRIVATE KEY-----';

describe('redact', () => {
  it('masks secrets, sensitive fields and personal data, keeping the rest', () => {
    const input = {
      clientId: 'finance-agent',
      clientSecret: 'canary-secret-1',
      client_secret: 'canary-secret-2',
      'X-Act-Assertion': 'canary-assertion',
      Authorization: 'Bearer canary-bearer',
      secretHolder: new Secret('canary-secret-3'),
      act: { sub: 'user-123', email: 'alice@example.com', name: 'Alice Canary' },
      nested: [{ access_token: 'canary-token', expiresIn: 300 }],
      message: `token ${jwt} for bob@example.org with key ${pem}`,
    };
    const output = JSON.stringify(redact(input));
    for (const canary of [
      'canary-secret',
      'canary-assertion',
      'canary-bearer',
      'canary-token',
      'alice@example.com',
      'Alice Canary',
      'bob@example.org',
      'signature-canary',
      'canarykeymaterial',
    ]) {
      expect(output).not.toContain(canary);
    }
    expect(output).toContain('finance-agent');
    expect(output).toContain('user-123');
    expect(output).toContain('300');
  });

  it('summarises errors, their codes and causes, redacted', () => {
    const error = Object.assign(new Error(`failed for carol@example.com`), {
      code: 'ERR_X',
      cause: new Error(`with ${jwt}`),
    });
    const output = redact({ error }) as { error: Record<string, unknown> };
    expect(output.error).toEqual({
      name: 'Error',
      message: 'failed for [REDACTED:email]',
      code: 'ERR_X',
      cause: { name: 'Error', message: 'with [REDACTED:jwt]' },
    });
  });

  it('survives cycles, depth, functions and prototype keys', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let level = 0; level < 20; level++) {
      deep.next = {};
      deep = deep.next as Record<string, unknown>;
    }
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}');
    expect(redact(cyclic)).toEqual({ a: 1, self: '[Circular]' });
    expect(JSON.stringify(redact(root))).toContain('[Truncated]');
    expect(redact({ fn: () => 1, n: null })).toEqual({ fn: undefined, n: null });
    expect(redact(hostile)).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps only origin and path of URLs', () => {
    expect(redact(new URL('https://api.example.com/x?token=canary#frag'))).toBe('https://api.example.com/x');
  });
});

describe('redactText', () => {
  it('masks JWTs, keys, credentials after an auth scheme, and emails', () => {
    expect(redactText(`a ${jwt} b`)).toBe('a [REDACTED:jwt] b');
    expect(redactText(pem)).toBe('[REDACTED:key]');
    expect(redactText('Basic Zm9vOmJhcg==')).toBe('Basic [REDACTED]');
    expect(redactText('SSWS 00abcDEF')).toBe('SSWS [REDACTED]');
    expect(redactText('mail dave.o+x@sub.example.co.uk now')).toBe('mail [REDACTED:email] now');
    expect(redactText('plain text stays')).toBe('plain text stays');
  });
});
