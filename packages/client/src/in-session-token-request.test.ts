import { ActVerificationError } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { createCountingAdapter } from '../test/counting-adapter.ts';
import { createTokenCache } from './create-token-cache.ts';
import { InSessionTokenRequest } from './in-session-token-request.ts';

describe('InSessionTokenRequest', () => {
  it('requests a token for agent and human, cached by default', async () => {
    const { adapter, calls } = createCountingAdapter();
    const tokenRequest = new InSessionTokenRequest(adapter);
    const act = { sub: 'user-1', email: 'alice@example.com', name: 'Alice Smith' };
    const first = await tokenRequest.requestToken({ agentId: 'finance-agent', act, scope: ['finance.read'] });
    const second = await tokenRequest.requestToken({
      agentId: 'finance-agent',
      act,
      scope: ['finance.read'],
    });
    expect(first.accessToken).toBe('token-1-finance-agent-user-1');
    expect(second).toBe(first);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.act).toEqual(act);
    expect(calls[0]?.scope).toEqual(['finance.read']);
  });

  it('sends every request to the IdP with cache: false, and shares a given cache', async () => {
    const { adapter, calls } = createCountingAdapter();
    const uncached = new InSessionTokenRequest(adapter, { cache: false });
    await uncached.requestToken({ agentId: 'a', act: { sub: 'u' } });
    await uncached.requestToken({ agentId: 'a', act: { sub: 'u' } });
    expect(calls).toHaveLength(2);
    const cache = createTokenCache();
    await new InSessionTokenRequest(adapter, { cache }).requestToken({ agentId: 'a', act: { sub: 'u' } });
    await new InSessionTokenRequest(adapter, { cache }).requestToken({ agentId: 'a', act: { sub: 'u' } });
    expect(calls).toHaveLength(3);
  });

  it('refuses an invalid act with act_invalid before contacting the IdP', async () => {
    const { adapter, calls } = createCountingAdapter();
    const tokenRequest = new InSessionTokenRequest(adapter);
    for (const act of [
      { sub: '' },
      { sub: 'x'.repeat(300) },
      { email: 'a@b.c' },
      'user-1',
      null,
      { sub: 'a\u0000b' },
    ]) {
      const error = await tokenRequest.requestToken({ agentId: 'a', act: act as never }).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(ActVerificationError);
      expect((error as ActVerificationError).reason).toBe('act_invalid');
    }
    expect(calls).toHaveLength(0);
  });

  it('rejects misuse with TypeError', async () => {
    const { adapter } = createCountingAdapter();
    expect(() => new InSessionTokenRequest({} as never)).toThrow(TypeError);
    const tokenRequest = new InSessionTokenRequest(adapter);
    await expect(tokenRequest.requestToken({ agentId: '', act: { sub: 'u' } })).rejects.toThrow(TypeError);
    await expect(
      tokenRequest.requestToken({ agentId: 'a', act: { sub: 'u' }, scope: 'read' as never }),
    ).rejects.toThrow(TypeError);
  });
});
