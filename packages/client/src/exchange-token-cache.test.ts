// Exchange mode (RFC 8693): the token cache keys an exchanged token on a SHA-256 of the human's
// subject token, never serves it for another subject token, never keeps the subject token in its
// key material, and stops serving it when the subject token (a JWT: its `exp`) ends.
import { createManualClock, Secret } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { createCountingAdapter } from '../test/counting-adapter.ts';
import { createTokenCache } from './create-token-cache.ts';
import { tokenCacheKey } from './internal/token-cache-key.ts';

const alice = { sub: 'user-alice' };

function jwtWithExp(exp: number, marker: string): Secret {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return new Secret(`${part({ alg: 'RS256' })}.${part({ sub: marker, exp })}.c2ln`);
}

describe('token cache in exchange mode', () => {
  it('keys on the subject token: another subject token of the same human is another key', async () => {
    const { adapter, calls } = createCountingAdapter();
    const cache = createTokenCache();
    const base = { agentId: 'agent-1', act: alice, scope: ['read'] };
    await cache.requestToken(adapter, { ...base, subjectToken: new Secret('subject-token-one') });
    await cache.requestToken(adapter, { ...base, subjectToken: new Secret('subject-token-one') });
    await cache.requestToken(adapter, { ...base, subjectToken: new Secret('subject-token-two') });
    await cache.requestToken(adapter, base);
    expect(calls).toHaveLength(3);
  });

  it('never lets the subject token into the key', async () => {
    const { adapter } = createCountingAdapter();
    const canary = 'canary-subject-token-5f1e2d';
    const key = await tokenCacheKey(adapter, {
      agentId: 'agent-1',
      act: alice,
      subjectToken: new Secret(canary),
    });
    expect(key).toMatch(/^token:v1:[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain(canary);
  });

  it('stops serving an exchanged token once the subject JWT expires, though the token lives on', async () => {
    const manual = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const clock = manual.now;
    const { adapter, calls } = createCountingAdapter({ expiresIn: 3600, now: clock });
    const cache = createTokenCache({ clock });
    const subjectToken = jwtWithExp(Math.floor(clock() / 1000) + 120, 'alice');
    const params = { agentId: 'agent-1', act: alice, subjectToken };
    await cache.requestToken(adapter, params);
    manual.advance(60_000);
    await cache.requestToken(adapter, params);
    expect(calls).toHaveLength(1);
    // 30 s refresh margin: at 100 s the subject token ends within it.
    manual.advance(40_000);
    await cache.requestToken(adapter, params);
    expect(calls).toHaveLength(2);
  });

  it('serves an exchanged token of an opaque subject token for the response’s expires_in', async () => {
    const manual = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const clock = manual.now;
    const { adapter, calls } = createCountingAdapter({ expiresIn: 300, now: clock });
    const cache = createTokenCache({ clock });
    const params = { agentId: 'agent-1', act: alice, subjectToken: new Secret('opaque-subject-token') };
    await cache.requestToken(adapter, params);
    manual.advance(200_000);
    await cache.requestToken(adapter, params);
    expect(calls).toHaveLength(1);
    manual.advance(80_000);
    await cache.requestToken(adapter, params);
    expect(calls).toHaveLength(2);
  });
});
