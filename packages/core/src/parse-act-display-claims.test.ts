import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors.ts';
import { parseActDisplayClaims } from './parse-act-display-claims.ts';

describe('parseActDisplayClaims', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['  ', []],
    ['email', ['email']],
    ['email,name', ['email', 'name']],
    [' Name  email ', ['email', 'name']],
    ['email,email', ['email']],
    [[], []],
    [['name'], ['name']],
  ])('reads %j as %j', (input, expected) => {
    expect(parseActDisplayClaims(input)).toEqual(expected);
  });

  it.each([['phone'], ['email,alice@example.com'], ['sub'], [['email', 5]], [{ email: true }]])(
    'refuses %j with a ConfigurationError naming the setting, without echoing it',
    (input) => {
      let caught: unknown;
      try {
        parseActDisplayClaims(input);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigurationError);
      expect((caught as ConfigurationError).setting).toBe('DUAL_AUTH_ACT_DISPLAY_CLAIMS');
      expect((caught as Error).message).toMatch(/^DUAL_AUTH_ACT_DISPLAY_CLAIMS \(actDisplayClaims\) /);
      expect((caught as Error).message).not.toContain('alice@example.com');
      expect((caught as Error).message).not.toContain('phone');
    },
  );
});
