import { describe, expect, it } from 'vitest';
import { deepFreeze } from './deep-freeze.ts';

describe('deepFreeze', () => {
  it('freezes nested objects and arrays, and returns its input', () => {
    const value = { a: { b: [1, { c: 'x' }] }, d: 'y' };
    expect(deepFreeze(value)).toBe(value);
    expect(Object.isFrozen(value.a)).toBe(true);
    expect(Object.isFrozen(value.a.b)).toBe(true);
    expect(Object.isFrozen(value.a.b[1])).toBe(true);
    expect(() => {
      (value.a.b[1] as { c: string }).c = 'changed';
    }).toThrow(TypeError);
  });

  it('passes primitives, null and frozen values through', () => {
    expect(deepFreeze(null)).toBeNull();
    expect(deepFreeze('text')).toBe('text');
    const frozen = Object.freeze({ inner: {} });
    deepFreeze(frozen);
    expect(Object.isFrozen(frozen.inner)).toBe(false);
  });
});
