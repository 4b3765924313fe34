import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REDACTED, Secret } from './secret.ts';

const canary = 'canary-client-secret-51c0';

describe('Secret', () => {
  const secret = new Secret(canary);

  it('reveals its value only on request', () => {
    expect(secret.reveal()).toBe(canary);
  });

  it.each([
    ['JSON.stringify', () => JSON.stringify({ secret })],
    ['util.inspect', () => inspect({ nested: { secret } }, { depth: 10, showHidden: true })],
    ['toString', () => secret.toString()],
    ['template string', () => `${secret}`],
    ['string concatenation', () => `x${String(secret)}`],
    ['Object.entries', () => JSON.stringify(Object.entries(secret))],
    ['structuredClone', () => JSON.stringify(structuredClone({ secret }))],
  ])('never shows the value through %s', (_, render) => {
    expect(render()).not.toContain(canary);
  });

  it('shows a marker instead', () => {
    expect(`${secret}`).toBe(REDACTED);
    expect(JSON.stringify(secret)).toBe(`"${REDACTED}"`);
  });

  it('compares in constant time with secrets and strings', async () => {
    await expect(secret.equals(canary)).resolves.toBe(true);
    await expect(secret.equals(new Secret(canary))).resolves.toBe(true);
    await expect(secret.equals(`${canary}x`)).resolves.toBe(false);
  });

  it('refuses a value that is not a string', () => {
    expect(() => new Secret(42 as unknown as string)).toThrow(TypeError);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(secret)).toBe(true);
    expect(new Secret('').isEmpty).toBe(true);
  });
});
