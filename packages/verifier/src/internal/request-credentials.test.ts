import { describe, expect, it } from 'vitest';
import {
  BindingCredentials,
  credentialsFromRawHeaders,
  readRequestCredentials,
  singleHeader,
  withoutQuery,
} from './request-credentials.ts';

describe('credentialsFromRawHeaders', () => {
  it('reads the four headers case-insensitively, with the method and path given', () => {
    const credentials = credentialsFromRawHeaders(
      [
        'Host',
        'api',
        'AUTHORIZATION',
        'Bearer a',
        'X-Act-Assertion',
        'x.y.z',
        'x-request-id',
        'r-1',
        'TraceParent',
        't',
      ],
      'GET',
      '/reports',
    );
    expect({ ...credentials }).toEqual({
      authorization: 'Bearer a',
      actAssertion: 'x.y.z',
      requestId: 'r-1',
      traceparent: 't',
      method: 'GET',
      path: '/reports',
    });
  });

  it('reads a header sent twice as malformed, whatever the spelling of the second', () => {
    const twice = credentialsFromRawHeaders(
      ['authorization', 'Bearer a', 'Authorization', 'Bearer b'],
      'GET',
      '/',
    );
    expect(twice.authorization).toBe('\0repeated');
    const assertionTwice = credentialsFromRawHeaders(
      ['x-act-assertion', 'a', 'X-ACT-ASSERTION', 'b'],
      'GET',
      '/',
    );
    expect(assertionTwice.actAssertion).toBe('\0repeated');
  });

  it('leaves absent headers undefined and ignores a dangling name', () => {
    const credentials = credentialsFromRawHeaders(['Host', 'api', 'authorization'], 'POST', '/x');
    expect(credentials.authorization).toBeUndefined();
    expect(credentials.traceparent).toBeUndefined();
  });
});

describe('readRequestCredentials', () => {
  it("takes a binding's credentials as they are, without a copy", () => {
    const credentials = credentialsFromRawHeaders(['authorization', 'Bearer a'], 'GET', '/reports');
    expect(readRequestCredentials(credentials)).toBe(credentials);
  });

  it("copies a caller's plain object, dropping what is not a string and the query", () => {
    const fields = { authorization: 'Bearer a', method: 7, path: '/reports?q=1' } as never;
    const credentials = readRequestCredentials(fields);
    expect(credentials).not.toBe(fields);
    expect(credentials).toEqual({
      authorization: 'Bearer a',
      actAssertion: undefined,
      method: undefined,
      path: '/reports',
      requestId: undefined,
      traceparent: undefined,
    });
  });

  it('reads a Request: its headers, method and path', () => {
    const request = new Request('http://127.0.0.1/reports?q=1', {
      method: 'POST',
      headers: { authorization: 'Bearer a', 'x-request-id': 'r-1' },
    });
    expect(readRequestCredentials(request)).toMatchObject({
      authorization: 'Bearer a',
      requestId: 'r-1',
      method: 'POST',
      path: '/reports',
    });
  });

  it('builds every binding credential with one shape, whatever order the headers came in', () => {
    const fresh = new BindingCredentials('GET', '/');
    expect(Object.keys(fresh)).toEqual([
      'authorization',
      'actAssertion',
      'requestId',
      'traceparent',
      'method',
      'path',
    ]);
    expect(
      Object.keys(credentialsFromRawHeaders(['traceparent', 't', 'authorization', 'a'], 'GET', '/')),
    ).toEqual(Object.keys(fresh));
  });
});

describe('singleHeader and withoutQuery', () => {
  it('refuses a repeated header from Node header objects', () => {
    expect(singleHeader(['a'])).toBe('a');
    expect(singleHeader(['a', 'b'])).toBe('\0repeated');
    expect(singleHeader(undefined)).toBeUndefined();
  });

  it('cuts the query from a request target', () => {
    expect(withoutQuery('/a/b?c=d?e')).toBe('/a/b');
    expect(withoutQuery('/a/b')).toBe('/a/b');
  });
});
