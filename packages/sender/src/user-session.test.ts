import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { UserSession } from './user-session.ts';

describe('UserSession', () => {
  it('keeps validated, trimmed values', () => {
    const session = new UserSession({
      userId: ' u-1 ',
      userEmail: 'a@example.com',
      userName: 'Alice',
      userOid: 'o-1',
    });
    expect({ ...session }).toEqual({
      userId: 'u-1',
      userEmail: 'a@example.com',
      userName: 'Alice',
      userOid: 'o-1',
    });
    expect(Object.isFrozen(session)).toBe(true);
    expect(new UserSession({ userEmail: 'a@example.com' }).userId).toBeUndefined();
  });

  it('refuses misuse with a TypeError naming the field, never the value', () => {
    const cases: [unknown, string][] = [
      [undefined, 'UserSession: expected { userId, userEmail?, userName?, userOid? }'],
      [{}, 'UserSession: userId (the IAM user id) is required'],
      [{ userId: 42 }, 'UserSession: userId must be a string'],
      [{ userId: '' }, 'UserSession: userId: invalid min_length (expected >=1)'],
      [{ userId: 'u\n1' }, 'UserSession: userId: invalid regex (expected /^[^\\p{Cc}]*$/u)'],
      [{ userId: 'x'.repeat(256) }, 'UserSession: userId: invalid max_length (expected <=255)'],
      [{ userId: 'u-1', userEmail: 'not-an-email-canary' }, 'UserSession: userEmail: invalid email'],
      [
        { userId: 'u-1', userName: 'n'.repeat(257) },
        'UserSession: userName: invalid max_length (expected <=256)',
      ],
    ];
    for (const [init, message] of cases) {
      expect(() => new UserSession(init as never)).toThrow(new TypeError(message));
    }
  });

  it('redacts email and name in JSON.stringify and util.inspect', () => {
    const session = new UserSession({
      userId: 'u-1',
      userEmail: 'canary@example.com',
      userName: 'Canary Person',
    });
    const json = JSON.stringify(session);
    expect(JSON.parse(json)).toEqual({ userId: 'u-1', userEmail: '[REDACTED]', userName: '[REDACTED]' });
    expect(inspect(session)).toContain('u-1');
    for (const shown of [json, inspect(session), String(session)])
      expect(shown).not.toMatch(/canary|Canary/i);
  });
});
