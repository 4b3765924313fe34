import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64UrlDecode, base64UrlEncode, decodeWithAtob } from './base64url.ts';

describe('base64url', () => {
  it('round-trips, and the Node and portable decoders agree', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = base64UrlEncode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(Array.from(base64UrlDecode(text) ?? [])).toEqual(Array.from(bytes));
        expect(Array.from(decodeWithAtob(text) ?? [])).toEqual(Array.from(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses non-canonical and non-base64url text', () => {
    for (const text of ['A', 'AB', 'AAB', 'a+b', 'a/b', 'ab==', 'a b', 'ü']) {
      expect(base64UrlDecode(text), text).toBeUndefined();
    }
    expect(Array.from(base64UrlDecode('AA') ?? [])).toEqual([0]);
    expect(Array.from(base64UrlDecode('AAA') ?? [])).toEqual([0, 0]);
  });
});
