import { describe, expect, it, vi } from 'vitest';
import { nextAuditEventId } from './audit-event-id.ts';

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('nextAuditEventId', () => {
  it('gives UUID v4 strings, none repeated', () => {
    const ids = Array.from({ length: 100_000 }, nextAuditEventId);
    for (const id of ids.slice(0, 1000)) expect(id).toMatch(uuidV4);
    // Consecutive: the counter in the last 12 digits, across the 256-id steps of its upper digits.
    for (let index = 1; index < 1000; index++) {
      const counterOf = (id: string) => Number.parseInt(id.slice(-12), 16);
      expect(counterOf(ids[index] as string)).toBe(counterOf(ids[index - 1] as string) + 1);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws its prefix at random, once per process', async () => {
    const here = nextAuditEventId();
    // A fresh instance of the module stands for another process.
    vi.resetModules();
    const other = await import('./audit-event-id.ts');
    expect(other.nextAuditEventId).not.toBe(nextAuditEventId);
    const there = other.nextAuditEventId();
    expect(there).toMatch(uuidV4);
    expect(there.slice(0, 23)).not.toBe(here.slice(0, 23));
    expect(nextAuditEventId().slice(0, 23)).toBe(here.slice(0, 23));
  });
});
