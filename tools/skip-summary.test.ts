import { describe, expect, it } from 'vitest';
import { summarizeSkips } from './skip-summary.ts';

describe('summarizeSkips', () => {
  it('groups by reason, most frequent first, naming up to three files', () => {
    const lines = summarizeSkips([
      { reason: 'no latency control', file: 'packages/secrets-aws/test/moto.test.ts' },
      ...['e', 'a', 'd', 'c', 'b'].map((name) => ({
        reason: 'this service cannot deny access ',
        file: `packages/${name}.test.ts`,
      })),
      { reason: 'this service cannot deny access', file: 'packages/a.test.ts' },
    ]);
    expect(lines).toEqual([
      'skipped: 6 — this service cannot deny access (packages/a.test.ts, packages/b.test.ts, packages/c.test.ts, +2 more)',
      'skipped: 1 — no latency control (packages/secrets-aws/test/moto.test.ts)',
    ]);
  });

  it('groups tests skipped without a note by file', () => {
    expect(
      summarizeSkips([
        { reason: undefined, file: 'apps/demo/test/serve-page.test.ts' },
        { reason: '', file: 'apps/demo/test/serve-page.test.ts' },
        { reason: undefined, file: 'packages/store-redis/test/redis-stores.test.ts' },
      ]),
    ).toEqual([
      'skipped: 2 — no reason given, in apps/demo/test/serve-page.test.ts',
      'skipped: 1 — no reason given, in packages/store-redis/test/redis-stores.test.ts',
    ]);
  });

  it('adds nothing when nothing was skipped', () => {
    expect(summarizeSkips([])).toEqual([]);
  });
});
