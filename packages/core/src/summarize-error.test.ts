import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { summarizeError } from './summarize-error.ts';

describe('summarizeError', () => {
  it('keeps the class name, code and status, and nothing else', () => {
    const original = Object.assign(new Error('request to https://vault failed, token hvs.canary-token'), {
      name: 'AxiosError',
      code: 'ECONNRESET',
      config: { headers: { 'X-Vault-Token': 'hvs.canary-token' } },
      response: { statusCode: 503, body: { errors: ['sealed'] } },
    });
    const summary = summarizeError(original);
    expect(summary).toBeInstanceOf(Error);
    expect(summary).toMatchObject({ name: 'AxiosError', code: 'ECONNRESET', statusCode: 503 });
    expect(summary.message).toBe('AxiosError 503 ECONNRESET');
    expect(inspect(summary, { showHidden: true, depth: 10 })).not.toContain('canary');
    expect(JSON.stringify(summary)).not.toContain('canary');
  });

  it('reads statusCode or status, and drops codes that are not plain words', () => {
    expect(summarizeError({ name: 'RestError', statusCode: 403, code: 'Forbidden' })).toMatchObject({
      message: 'RestError 403 Forbidden',
      statusCode: 403,
    });
    expect(summarizeError({ status: 404 })).toMatchObject({ message: 'Error 404', statusCode: 404 });
    const odd = summarizeError({ name: 'Error: secret value', code: 'a b c' });
    expect(odd.message).toBe('Error');
    expect(odd.code).toBeUndefined();
    expect(summarizeError('a thrown string').message).toBe('Error');
    expect(summarizeError(undefined).message).toBe('Error');
  });
});
