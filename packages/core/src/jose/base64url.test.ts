import { describe, expect, it } from 'vitest';
import {
  decodeStrictAsciiBase64Url,
  decodeStrictBase64Url,
  decodeStrictBase64UrlPortably,
  encodeAsciiText,
  encodeBase64Url,
  encodeBase64UrlText,
} from './base64url.ts';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The round trip's verdict and bytes, as the shortcut must give them. */
function expectSameVerdict(text: string): void {
  const strict = decodeStrictBase64Url(text);
  const shortcut = decodeStrictAsciiBase64Url(text);
  expect(shortcut === undefined, JSON.stringify(text)).toBe(strict === undefined);
  if (strict !== undefined)
    expect(Buffer.from(shortcut as Uint8Array).equals(Buffer.from(strict))).toBe(true);
}

describe('encodeAsciiText', () => {
  it('encodes ASCII text', () => {
    expect(Buffer.from(encodeAsciiText('eyJ.a-b_c') as Uint8Array).toString('latin1')).toBe('eyJ.a-b_c');
  });

  it.each([
    ['Latin-1', 'ab\u00e9'],
    ['a character whose low byte is an ASCII letter', 'ab\u0141'],
    ['a lone surrogate', 'ab\ud800'],
    ['an emoji', 'ab\u{1f600}'],
  ])('refuses %s', (_name, text) => {
    expect(encodeAsciiText(text)).toBeUndefined();
  });
});

describe('decodeStrictAsciiBase64Url', () => {
  it('decodes canonical base64url', () => {
    const bytes = Buffer.from('{"sub":"alice","n":[1,2,3]}\u00ff\u00fe');
    for (let end = 0; end <= bytes.length; end++) {
      const text = bytes.subarray(0, end).toString('base64url');
      expect(Buffer.from(decodeStrictAsciiBase64Url(text) as Uint8Array).equals(bytes.subarray(0, end))).toBe(
        true,
      );
    }
  });

  it.each([
    ['padding', 'QUI='],
    ['the base64 alphabet', 'a+b/'],
    ['whitespace', 'QU I'],
    ['an impossible length', 'QUJDR'],
    ['non-canonical trailing bits', 'QUJ'],
    ['a dot', 'QU.D'],
  ])('refuses %s', (_name, text) => {
    expect(decodeStrictAsciiBase64Url(text)).toBeUndefined();
  });

  it('agrees with the round trip for every ASCII character anywhere in short input', () => {
    for (let code = 0; code < 128; code++) {
      const character = String.fromCharCode(code);
      for (const base of ['', 'Q', 'QQ', 'QUI', 'QUJD', 'QUJDRA', 'QUJDRA8']) {
        for (let at = 0; at <= base.length; at++) {
          expectSameVerdict(base.slice(0, at) + character + base.slice(at));
          expectSameVerdict(base.slice(0, at) + character + base.slice(at + 1));
        }
      }
    }
  });

  it('agrees with the round trip on every two- and three-character ending', () => {
    for (const first of alphabet) {
      for (const last of alphabet) {
        expectSameVerdict(`${first}${last}`);
        expectSameVerdict(`QU${first}${last}`);
        expectSameVerdict(`Q${first}${last}`);
      }
    }
  });

  it('agrees with the round trip on a token-sized segment with one stray character', () => {
    const segment = Buffer.from(
      JSON.stringify({ iss: 'https://127.0.0.1:8443/realms/acme', pad: 'x'.repeat(700) }),
    ).toString('base64url');
    for (const character of ['+', '/', '=', ' ', '\n', '.', '%', '\u007f', '\u0000']) {
      for (const at of [0, 1, 17, 300, segment.length - 2, segment.length - 1, segment.length]) {
        expectSameVerdict(segment.slice(0, at) + character + segment.slice(at));
        expectSameVerdict(segment.slice(0, at) + character + segment.slice(at + 1));
      }
    }
  });
});

/** A deterministic generator, so a failing case can be reproduced. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('base64url encoders and the portable decoder', () => {
  it('round-trip random bytes, and agree with Buffer and with each other', () => {
    const next = random(15);
    for (let run = 0; run < 500; run++) {
      const bytes = Uint8Array.from({ length: Math.floor(next() * 200) }, () => Math.floor(next() * 256));
      const text = encodeBase64Url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(Array.from(decodeStrictBase64Url(text) ?? [])).toEqual(Array.from(bytes));
      expect(Array.from(decodeStrictBase64UrlPortably(text) ?? [])).toEqual(Array.from(bytes));
    }
    expect(encodeBase64UrlText('{"alg":"ES256","x":"é"}')).toBe(
      Buffer.from('{"alg":"ES256","x":"é"}').toString('base64url'),
    );
  });

  it('the portable decoder refuses non-canonical and non-base64url text, as the Node one does', () => {
    for (const text of ['A', 'AB', 'AAB', 'a+b', 'a/b', 'ab==', 'a b', 'ü', 'QUJ']) {
      expect(decodeStrictBase64UrlPortably(text), text).toBeUndefined();
      expect(decodeStrictBase64Url(text), text).toBeUndefined();
    }
    expect(Array.from(decodeStrictBase64UrlPortably('AA') ?? [])).toEqual([0]);
    expect(Array.from(decodeStrictBase64UrlPortably('AAA') ?? [])).toEqual([0, 0]);
  });

  it('the portable decoder agrees with the Node one on every two- and three-character text', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=';
    for (const first of alphabet) {
      for (const last of alphabet) {
        for (const text of [`${first}${last}`, `Q${first}${last}`]) {
          expect(decodeStrictBase64UrlPortably(text) === undefined, text).toBe(
            decodeStrictBase64Url(text) === undefined,
          );
        }
      }
    }
  });
});
