import { describe, expect, it } from 'vitest';
import { parseAct } from './act.ts';
import { createDelegation, parseDelegationClaim, toDelegationClaim } from './delegation.ts';

describe('parseAct', () => {
  it('accepts an IAM user id with optional display fields, dropping unknown members', () => {
    const result = parseAct({
      sub: ' user-1 ',
      email: 'alice@example.com',
      name: 'Alice',
      oid: 'oid-1',
      role: 'admin',
    });
    expect(result).toEqual({
      ok: true,
      act: { sub: 'user-1', email: 'alice@example.com', name: 'Alice', oid: 'oid-1' },
    });
    expect(parseAct({ sub: 'user-1' })).toEqual({ ok: true, act: { sub: 'user-1' } });
  });

  it.each([
    [undefined, 'value'],
    ['user-1', 'value'],
    [[], 'sub: is required'],
    [{}, 'sub'],
    [{ sub: '' }, 'sub'],
    [{ sub: '   ' }, 'sub'],
    [{ sub: 42 }, 'sub'],
    [{ sub: 'x'.repeat(256) }, 'sub'],
    [{ sub: 'user\n1' }, 'sub'],
    [{ sub: 'u', email: 'not-an-email' }, 'email'],
    [{ sub: 'u', name: 'x'.repeat(257) }, 'name'],
  ])('refuses %j, naming %s', (input, field) => {
    const result = parseAct(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problem).toMatch(new RegExp(`^${field}`));
  });

  it('never quotes the rejected value in the problem', () => {
    const result = parseAct({ sub: 'u', email: 'canary-not-email' });
    expect(result.ok ? '' : result.problem).not.toContain('canary');
  });

  it('parses once: a checked act is frozen and comes back as it is; an equal plain copy is parsed anew', () => {
    const first = parseAct({ sub: ' user-1 ', email: 'alice@example.com' });
    if (!first.ok) throw new Error(first.problem);
    expect(Object.isFrozen(first.act)).toBe(true);
    const again = parseAct(first.act);
    expect(again.ok && again.act).toBe(first.act);
    const copy = parseAct({ ...first.act });
    expect(copy.ok && copy.act).not.toBe(first.act);
    expect(copy.ok && copy.act).toEqual(first.act);
  });
});

describe('delegation', () => {
  it('round-trips between the claim and the typed form', () => {
    const delegation = createDelegation({ intentSummary: 'Summarise Q4', now: 1_700_000_000_500 });
    expect(delegation).toEqual({
      method: 'explicit',
      grantedAt: 1_700_000_000,
      intentSummary: 'Summarise Q4',
    });
    const claim = toDelegationClaim({ ...delegation, expiresAt: 1_700_000_600 });
    expect(claim).toEqual({
      method: 'explicit',
      granted_at: 1_700_000_000,
      intent_summary: 'Summarise Q4',
      expires_at: 1_700_000_600,
    });
    expect(parseDelegationClaim(claim)).toEqual({
      ok: true,
      delegation: { ...delegation, expiresAt: 1_700_000_600 },
    });
  });

  it.each([
    [{ method: 'forced', granted_at: 1 }, 'method'],
    [{ method: 'explicit' }, 'granted_at'],
    [{ method: 'explicit', granted_at: 1.5 }, 'granted_at'],
    [{ method: 'explicit', granted_at: -1 }, 'granted_at'],
    [{ method: 'explicit', granted_at: 1, intent_summary: 'x'.repeat(513) }, 'intent_summary'],
    [null, 'value'],
  ])('refuses %j, naming %s', (input, field) => {
    const result = parseDelegationClaim(input);
    expect(result.ok ? '' : result.problem).toMatch(new RegExp(`^${field}`));
  });

  it('refuses to create an invalid delegation', () => {
    expect(() => createDelegation({ method: 'forced' as 'explicit' })).toThrow(TypeError);
  });
});
