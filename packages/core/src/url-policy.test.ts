import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors.ts';
import { checkUrlPolicy, isLoopbackHost, requireSecureUrl } from './url-policy.ts';

describe('URL policy', () => {
  it.each(['https://idp.example.com/token', 'https://127.0.0.1:8443/x', 'https://[::1]/x'])(
    'accepts %s',
    (url) => {
      expect(checkUrlPolicy(url)).toMatchObject({ ok: true });
    },
  );

  it.each([
    ['http://idp.example.com/token', 'must use https, not http'],
    [
      'http://127.0.0.1:8080/token',
      'is refused: https is required (this URL has no insecure-loopback opt-in)',
    ],
    ['ftp://idp.example.com/', 'must use https, not ftp'],
    ['https://user:pass@idp.example.com/', 'must not contain a user name or password'],
    ['https://user@idp.example.com/', 'must not contain a user name or password'],
    ['/relative/path', 'is not an absolute URL'],
    ['', 'is not an absolute URL'],
    ['javascript:alert(1)', 'must use https, not javascript'],
  ])('refuses %s', (url, problem) => {
    const result = checkUrlPolicy(url);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problem).toContain(problem);
  });

  it('accepts loopback http only with the opt-in, and never other http', () => {
    for (const url of [
      'http://127.0.0.1:1/x',
      'http://localhost:1/x',
      'http://[::1]:1/x',
      'http://127.9.9.9/',
    ]) {
      expect(checkUrlPolicy(url, { allowInsecureLoopback: true }).ok).toBe(true);
    }
    for (const url of [
      'http://10.0.0.1/',
      'http://localhost.example.com/',
      'http://127.0.0.1.nip.io/',
      'http://0.0.0.0/',
    ]) {
      expect(checkUrlPolicy(url, { allowInsecureLoopback: true }).ok).toBe(false);
    }
  });

  it('says that the opt-in never covers a host that is not loopback', () => {
    for (const allowInsecureLoopback of [false, true]) {
      const result = checkUrlPolicy('http://10.0.0.1/x', { allowInsecureLoopback });
      expect(result.ok ? '' : result.problem).toBe(
        'must use https, not http: http is accepted only on a loopback host (localhost, 127.0.0.0/8, [::1]) with DUAL_AUTH_ALLOW_INSECURE_LOOPBACK=true, never on another host',
      );
    }
  });

  it('names the setting when it refuses loopback http, through requireSecureUrl too', () => {
    expect(checkUrlPolicy('http://127.0.0.1:9/x', { allowInsecureLoopback: false })).toEqual({
      ok: false,
      problem:
        'is refused: https is required; for loopback tests set DUAL_AUTH_ALLOW_INSECURE_LOOPBACK=true (or allowInsecureLoopback: true)',
    });
    expect(() =>
      requireSecureUrl('http://127.0.0.1:9/x', 'AGENT_ENDPOINT', { allowInsecureLoopback: false }),
    ).toThrow(
      'AGENT_ENDPOINT is refused: https is required; for loopback tests set DUAL_AUTH_ALLOW_INSECURE_LOOPBACK=true (or allowInsecureLoopback: true).',
    );
  });

  it('knows loopback hosts', () => {
    expect(['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '[::1]', '::1'].every(isLoopbackHost)).toBe(
      true,
    );
    expect(
      [
        '128.0.0.1',
        '127.0.0.256',
        'localhost.evil.com',
        'example.com',
        'api.localhost',
        'evil.localhost',
        'localhost.',
      ].some(isLoopbackHost),
    ).toBe(false);
    expect(checkUrlPolicy('http://api.localhost:8080/token', { allowInsecureLoopback: true }).ok).toBe(false);
  });

  it('throws a ConfigurationError naming the setting, without the value', () => {
    const attempt = () =>
      requireSecureUrl('http://idp.example.com/token?code=canary-query', 'OKTA_TOKEN_URL');
    expect(attempt).toThrow(ConfigurationError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigurationError).setting).toBe('OKTA_TOKEN_URL');
      expect((error as Error).message).toMatch(/^OKTA_TOKEN_URL must use https/);
      expect((error as Error).message).not.toContain('canary-query');
    }
  });
});
