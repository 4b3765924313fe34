import { describe, expect, it } from 'vitest';
import { createJsonLinesLogger, silentLogger } from './logger.ts';
import { Secret } from './secret.ts';

describe('loggers', () => {
  it('the silent logger accepts everything and writes nothing', () => {
    expect(() => silentLogger.error('x', { a: 1 })).not.toThrow();
  });

  it('writes one redacted JSON object per line at or above its level', () => {
    const lines: string[] = [];
    const logger = createJsonLinesLogger({
      write: (line) => lines.push(line),
      level: 'info',
      clock: () => 0,
    });
    logger.debug('hidden');
    logger.info('token issued to eve@example.com', {
      clientSecret: new Secret('canary-1'),
      agentId: 'finance-agent',
      email: 'eve@example.com',
    });
    logger.error('failed', { authorization: 'Bearer canary-2' });
    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.endsWith('\n'))).toBe(true);
    const first = JSON.parse(lines[0] ?? '');
    expect(first).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'info',
      msg: 'token issued to [REDACTED:email]',
      clientSecret: '[REDACTED]',
      agentId: 'finance-agent',
      email: '[REDACTED]',
    });
    expect(lines.join('')).not.toMatch(/canary|eve@example/);
  });

  it('does not let a field override the time, level or message', () => {
    const lines: string[] = [];
    createJsonLinesLogger({ write: (line) => lines.push(line), clock: () => 0 }).warn('real', {
      msg: 'forged',
      level: 'debug',
    });
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ msg: 'real', level: 'warn' });
  });

  it('refuses an unknown level', () => {
    expect(() => createJsonLinesLogger({ level: 'loud' as 'info' })).toThrow(TypeError);
  });
});
