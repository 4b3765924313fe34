import { describe, expect, it } from 'vitest';
import { capturingLogger } from './capturing-logger.ts';

describe('capturingLogger', () => {
  it('keeps each entry with its level, message, JSON fields and the inspect view of nested fields', () => {
    const { logger, lines } = capturingLogger();
    logger.debug('plain');
    logger.warn('nested', { outer: { inner: { token: 'deep-value' } } });
    expect(lines).toEqual([
      'debug plain  undefined',
      `warn nested {"outer":{"inner":{"token":"deep-value"}}} { outer: { inner: { token: 'deep-value' } } }`,
    ]);
  });

  it('shows a field that JSON leaves out (a Map) through inspect', () => {
    const { logger, lines } = capturingLogger();
    logger.error('map', { seen: new Map([['key', 'value-in-map']]) });
    expect(lines[0]).toContain("'value-in-map'");
  });
});
