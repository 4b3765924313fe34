import { parseAct } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { createCountingAdapter } from '../test/counting-adapter.ts';
import { createTokenCache } from './create-token-cache.ts';
import { InSessionTokenRequest } from './in-session-token-request.ts';

describe('InSessionTokenRequest', () => {
  it('requests a token for agent and human, cached by default', async () => {
    const { adapter, calls } = createCountingAdapter();
    const tokenRequest = new InSessionTokenRequest({ adapter });
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
    const uncached = new InSessionTokenRequest({ adapter, cache: false });
    await uncached.requestToken({ agentId: 'a', act: { sub: 'u' } });
    await uncached.requestToken({ agentId: 'a', act: { sub: 'u' } });
    expect(calls).toHaveLength(2);
    const cache = createTokenCache();
    await new InSessionTokenRequest({ adapter, cache }).requestToken({ agentId: 'a', act: { sub: 'u' } });
    await new InSessionTokenRequest({ adapter, cache }).requestToken({ agentId: 'a', act: { sub: 'u' } });
    expect(calls).toHaveLength(3);
  });

  it('rejects an invalid act as misuse with TypeError, as the core adapter does, before contacting the IdP', async () => {
    const { adapter, calls } = createCountingAdapter();
    const tokenRequest = new InSessionTokenRequest({ adapter });
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
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toMatch(/^act is invalid: /);
    }
    expect(calls).toHaveLength(0);
  });

  it('logs the human only when its sub is not an email, as with the sender email fallback', async () => {
    const { adapter } = createCountingAdapter();
    const lines: Array<[string, Readonly<Record<string, unknown>> | undefined]> = [];
    const capture = (message: string, fields?: Readonly<Record<string, unknown>>) =>
      lines.push([message, fields]);
    const logger = { debug: capture, info: capture, warn: capture, error: capture };
    const tokenRequest = new InSessionTokenRequest({ adapter, logger });
    await tokenRequest.requestToken({ agentId: 'a', act: { sub: 'user-1' } });
    await tokenRequest.requestToken({ agentId: 'a', act: { sub: 'alice.smith@example.com' } });
    await tokenRequest.requestToken({ agentId: 'a', act: { sub: 'bob@intranet' } });
    const humans = lines
      .filter(([message]) => message === 'dual-subject token requested')
      .map(([, fields]) => fields?.human);
    expect(humans[0]).toBe('user-1');
    expect(humans).toHaveLength(3);
    const text = JSON.stringify(lines);
    expect(text).not.toContain('alice.smith');
    expect(text).not.toContain('bob@intranet');
  });

  it('hands the adapter the act checked at the edge, as it is: parsed once, never re-validated', async () => {
    const { adapter, calls } = createCountingAdapter();
    const tokenRequest = new InSessionTokenRequest({ adapter, cache: false });
    const checked = parseAct({ sub: 'user-1' });
    if (!checked.ok) throw new Error(checked.problem);
    await tokenRequest.requestToken({ agentId: 'a', act: checked.act });
    expect(calls[0]?.act).toBe(checked.act);
    // A plain act is checked here, and what the adapter gets is that checked, frozen act.
    await tokenRequest.requestToken({ agentId: 'a', act: { sub: ' user-2 ' } });
    const received = calls[1]?.act;
    expect(received).toEqual({ sub: 'user-2' });
    expect(Object.isFrozen(received)).toBe(true);
    expect(parseAct(received)).toEqual({ ok: true, act: received });
    expect((parseAct(received) as { act: unknown }).act).toBe(received);
  });

  it('rejects misuse with TypeError', async () => {
    const { adapter } = createCountingAdapter();
    expect(() => new InSessionTokenRequest({} as never)).toThrow(TypeError);
    // @ts-expect-error the adapter goes in the options object, as for OutOfSessionTokenRequest
    expect(() => new InSessionTokenRequest(adapter)).toThrow(
      new TypeError('InSessionTokenRequest takes an options object: new InSessionTokenRequest({ adapter })'),
    );
    const tokenRequest = new InSessionTokenRequest({ adapter });
    await expect(tokenRequest.requestToken({ agentId: '', act: { sub: 'u' } })).rejects.toThrow(TypeError);
    await expect(
      tokenRequest.requestToken({ agentId: 'a', act: { sub: 'u' }, scope: 'read' as never }),
    ).rejects.toThrow(TypeError);
  });
});
