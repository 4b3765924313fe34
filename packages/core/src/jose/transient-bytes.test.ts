import { describe, expect, it } from 'vitest';
import { decodeBase64UrlText } from './base64url.ts';
import { decodeAsciiBase64UrlText, isAsciiText, transientUtf8 } from './transient-bytes.ts';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('isAsciiText', () => {
  it('accepts ASCII text, short and long', () => {
    expect(isAsciiText('eyJ.a-b_c')).toBe(true);
    expect(isAsciiText('')).toBe(true);
    // Longer than the scratch holds: checked character by character.
    expect(isAsciiText('a'.repeat(40_000))).toBe(true);
  });

  it.each([
    ['Latin-1', 'ab\u00e9'],
    ['a character whose low byte is an ASCII letter', 'ab\u0141'],
    ['a lone surrogate', 'ab\ud800'],
    ['an emoji', 'ab\u{1f600}'],
    ['a non-ASCII character past the scratch', `${'a'.repeat(40_000)}\u00e9`],
  ])('refuses %s', (_name, text) => {
    expect(isAsciiText(text)).toBe(false);
  });
});

describe('decodeAsciiBase64UrlText', () => {
  it('decodes canonical base64url of UTF-8 text', () => {
    const text = '{"sub":"alice","name":"Zoë Ł"}';
    const bytes = Buffer.from(text);
    for (let end = 0; end <= bytes.length; end++) {
      const segment = bytes.subarray(0, end).toString('base64url');
      expect(decodeAsciiBase64UrlText(segment), segment).toBe(decodeBase64UrlText(segment));
    }
    expect(decodeAsciiBase64UrlText(bytes.toString('base64url'))).toBe(text);
  });

  it.each([
    ['a byte no UTF-8 sequence starts with', [0x7b, 0xff, 0x7d]],
    ['an overlong encoding of "/"', [0x22, 0xc0, 0xaf, 0x22]],
    ['a UTF-16 surrogate encoded as UTF-8', [0x22, 0xed, 0xa0, 0x80, 0x22]],
    ['a code point past U+10FFFF', [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22]],
    ['a truncated sequence', [0x22, 0xe2, 0x82]],
    ['a lone continuation byte beside a real U+FFFD', [0xef, 0xbf, 0xbd, 0x80]],
  ])('refuses bytes that are not UTF-8: %s', (_name, bytes) => {
    expect(decodeAsciiBase64UrlText(Buffer.from(bytes).toString('base64url'))).toBeUndefined();
  });

  it('decodes a real U+FFFD', () => {
    expect(decodeAsciiBase64UrlText(Buffer.from('"\ufffd"').toString('base64url'))).toBe('"\ufffd"');
  });

  it('refuses trailing bits a canonical encoding leaves unset', () => {
    expect(decodeAsciiBase64UrlText('QUJ')).toBeUndefined();
    expect(decodeAsciiBase64UrlText('QUI')).toBe('AB');
  });

  // Padding, `+`, `/`, whitespace, dots and impossible lengths: every ASCII character at every place.
  it('agrees with the round trip for every ASCII character anywhere in short input', () => {
    for (let code = 0; code < 128; code++) {
      const character = String.fromCharCode(code);
      for (const base of ['e3', 'e30', 'eyJhIjoxfQ']) {
        for (let at = 0; at <= base.length; at++) {
          const text = base.slice(0, at) + character + base.slice(at);
          expect(decodeAsciiBase64UrlText(text), JSON.stringify(text)).toBe(decodeBase64UrlText(text));
        }
      }
    }
  });

  it('decodes a segment longer than the scratch the same way', () => {
    const text = JSON.stringify({ claim: alphabet.repeat(700) });
    const segment = Buffer.from(text).toString('base64url');
    expect(segment.length).toBeGreaterThan(32_768);
    expect(decodeAsciiBase64UrlText(segment)).toBe(text);
    expect(decodeAsciiBase64UrlText(`${segment.slice(0, -1)}+`)).toBeUndefined();
  });
});

describe('transientUtf8', () => {
  it('gives the UTF-8 bytes of short and long text', () => {
    for (const text of ['eyJ.abc', 'Zoë Ł 😀', 'x'.repeat(20_000)]) {
      expect(Buffer.from(transientUtf8(text)).equals(Buffer.from(text, 'utf8'))).toBe(true);
    }
  });

  it('reuses one buffer: the next use overwrites what the last returned', () => {
    const first = transientUtf8('first');
    const copy = Buffer.from(first);
    transientUtf8('other');
    expect(Buffer.from(first).equals(copy)).toBe(false);
  });
});
