import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TokenResponse } from './token-response.ts';

const accessCanary = 'eyJhbGciOiJSUzI1NiJ9.canary-access-token.sig';
const assertionCanary = 'eyJhbGciOiJFUzI1NiJ9.canary-act-assertion.sig';

describe('TokenResponse', () => {
  const tokenResponse = new TokenResponse({
    accessToken: accessCanary,
    tokenType: 'Bearer',
    expiresIn: 300,
    receivedAt: 1_000_000,
    scope: ['finance.read'],
    actAssertion: assertionCanary,
  });

  it('exposes the token, its lifetime and absolute expiry', () => {
    expect(tokenResponse.accessToken).toBe(accessCanary);
    expect(tokenResponse.actAssertion).toBe(assertionCanary);
    expect(tokenResponse.expiresAt).toBe(1_000_000 + 300_000);
    expect(tokenResponse.scope).toEqual(['finance.read']);
    expect(tokenResponse.hasActAssertion).toBe(true);
  });

  it.each([
    ['JSON.stringify', () => JSON.stringify({ tokenResponse })],
    ['util.inspect', () => inspect(tokenResponse, { depth: 10, showHidden: true, getters: true })],
    ['toString', () => tokenResponse.toString()],
    ['template string', () => `${tokenResponse}`],
    ['spread', () => JSON.stringify({ ...tokenResponse })],
    ['structuredClone', () => JSON.stringify(structuredClone({ ...tokenResponse }))],
  ])('never shows the token or the assertion through %s', (_, render) => {
    const text = render();
    expect(text).not.toContain('canary-access-token');
    expect(text).not.toContain('canary-act-assertion');
  });

  it('serializes the safe fields', () => {
    expect(JSON.parse(JSON.stringify(tokenResponse))).toEqual({
      tokenType: 'Bearer',
      expiresIn: 300,
      expiresAt: 1_300_000,
      scope: ['finance.read'],
      hasActAssertion: true,
    });
  });

  it('tells whether it is fresh, keeping a margin', () => {
    expect(tokenResponse.isFresh(1_000_000)).toBe(true);
    expect(tokenResponse.isFresh(1_299_999)).toBe(true);
    expect(tokenResponse.isFresh(1_300_000)).toBe(false);
    expect(tokenResponse.isFresh(1_280_000, 30)).toBe(false);
  });

  it('adds an act assertion to a copy without changing the original', () => {
    const plain = new TokenResponse({
      accessToken: 'a',
      tokenType: 'Bearer',
      expiresIn: 60,
      receivedAt: 5_000,
    });
    const hybrid = plain.withActAssertion('assertion');
    expect(plain.hasActAssertion).toBe(false);
    expect(hybrid.actAssertion).toBe('assertion');
    expect(hybrid.expiresAt).toBe(plain.expiresAt);
  });

  it('expires with its act assertion when the assertion expires before the token', () => {
    const plain = new TokenResponse({
      accessToken: 'at',
      tokenType: 'Bearer',
      expiresIn: 3600,
      receivedAt: 0,
    });
    const jwtExpiringAt = (exp: number) =>
      `e30.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.c2ln`;
    const shortAssertion = plain.withActAssertion(jwtExpiringAt(300));
    expect(shortAssertion.expiresAt).toBe(300_000);
    expect(shortAssertion.expiresIn).toBe(300);
    expect(shortAssertion.isFresh(299_000)).toBe(true);
    expect(shortAssertion.isFresh(300_000)).toBe(false);
    expect(plain.withActAssertion(jwtExpiringAt(7200)).expiresAt).toBe(3_600_000);
  });

  it('refuses an empty token or a negative lifetime', () => {
    expect(() => new TokenResponse({ accessToken: '', tokenType: 'Bearer', expiresIn: 1 })).toThrow(
      TypeError,
    );
    expect(() => new TokenResponse({ accessToken: 'a', tokenType: 'Bearer', expiresIn: -1 })).toThrow(
      TypeError,
    );
    expect(() => new TokenResponse({ accessToken: 'a', tokenType: 'Bearer', expiresIn: Number.NaN })).toThrow(
      TypeError,
    );
  });
});
