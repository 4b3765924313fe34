import { describe, expect, it } from 'vitest';
import { parseStrictJsonObject } from './parse-strict-json-object.ts';

describe('parseStrictJsonObject', () => {
  it.each([
    ['{"a":1,"b":{"c":[1,{"d":2}]}}', { a: 1, b: { c: [1, { d: 2 }] } }],
    ['{ "a" : ":x", "b":"\\":" }', { a: ':x', b: '":' }],
    ['{"a":":","b":":"}', { a: ':', b: ':' }],
    ['{"a\\\\":1,"b":"\\\\"}', { 'a\\': 1, b: '\\' }],
    ['{"x":[{"a":1},{"a":2}]}', { x: [{ a: 1 }, { a: 2 }] }],
    ['{"a":{"a":{"a":1}}}', { a: { a: { a: 1 } } }],
    [`{"a":${'['.repeat(30)}${']'.repeat(30)}}`, { a: JSON.parse(`${'['.repeat(30)}${']'.repeat(30)}`) }],
    ['{}', {}],
    ['{"a":":","b":":\\"","c" : ":x"}', { a: ':', b: ':"', c: ':x' }],
    [
      '{"iss":"https://127.0.0.1:8443/realms/acme","x":"\\":"}',
      { iss: 'https://127.0.0.1:8443/realms/acme', x: '":' },
    ],
    ['{"a":1,"b":"\\u00e9"}', { a: 1, b: '\u00e9' }],
    [
      '{"a":[{"b":":"},{"b":"\\":"}],"c":{"d":{"e":null}}}',
      { a: [{ b: ':' }, { b: '":' }], c: { d: { e: null } } },
    ],
  ])('accepts %s', (text, expected) => {
    expect(parseStrictJsonObject(text)).toEqual(expected);
  });

  it.each([
    ['duplicate at the top', '{"a":1,"a":2}'],
    ['duplicate with whitespace', '{"a" :1,"a":2}'],
    ['duplicate by escape', '{"a":1,"\\u0061":2}'],
    ['duplicate sub spelled with an escape', '{"sub":"alice","\\u0073ub":"admin"}'],
    ['duplicate nested', '{"x":{"a":1,"a":2}}'],
    ['duplicate inside an array', '{"x":[{"a":1,"a":2}]}'],
    ['duplicate hidden by an escaped quote', '{"a":"\\"","a":2}'],
    ['duplicate after an escaped backslash', '{"a\\\\":1,"a\\\\":2}'],
    ['duplicate after a string of colons and quotes', '{"b":"\\":\\"","a":1,"a":2}'],
    ['duplicate beside a value that starts with a colon', '{"a":":","a":1}'],
    ['duplicate beside values made of colons', '{"x":":::","y":"\\":\\":","a":1,"a":2}'],
    ['duplicate with whitespace and newlines before the colon', '{"a"\n\t :1,"b":":x","a" \r\n:2}'],
    ['duplicate in an object with no escapes', '{"iss":"https://a:1/","aud":["x"],"exp":1,"exp":2}'],
    ['duplicate in a nested array object with colons', '{"x":[{"u":"a:b","u":"c:d"}]}'],
    ['__proto__', '{"__proto__":{"polluted":true}}'],
    ['__proto__ nested', '{"a":{"__proto__":1}}'],
    ['__proto__ spelled with an escape', '{"\\u005f_proto__":{"polluted":true}}'],
    ['an array', '[1]'],
    ['a string', '"x"'],
    ['a number', '42'],
    ['null', 'null'],
    ['empty text', ''],
    ['not JSON', '{a:1}'],
    ['truncated', '{"a":1'],
    ['too deep', `{"a":${'['.repeat(40)}${']'.repeat(40)}}`],
  ])('refuses %s', (_name, text) => {
    expect(parseStrictJsonObject(text)).toBeUndefined();
  });

  it('still counts only own members when Object.prototype has enumerable names', () => {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.injected = 1;
    try {
      expect(parseStrictJsonObject('{"a":{"b":1},"c":[{"d":2}]}')).toEqual({ a: { b: 1 }, c: [{ d: 2 }] });
      expect(parseStrictJsonObject('{"a":1,"a":2}')).toBeUndefined();
      expect(parseStrictJsonObject('{"a":{"b":1,"b":2},"c":1}')).toBeUndefined();
    } finally {
      delete prototype.injected;
    }
  });

  it('leaves Object.prototype untouched', () => {
    parseStrictJsonObject('{"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
