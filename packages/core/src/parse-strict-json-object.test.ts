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

  it('leaves Object.prototype untouched', () => {
    parseStrictJsonObject('{"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
