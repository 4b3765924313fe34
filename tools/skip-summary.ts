/**
 * One skipped test: why (the note of `context.skip(note)`, when it gave one) and where.
 *
 * @example
 * const skip: SkippedTest = { reason: 'this backend does not cache', file: 'packages/a/test/b.test.ts' };
 */
export interface SkippedTest {
  readonly reason: string | undefined;
  readonly file: string;
}

const filesShown = 3;

/**
 * The lines that follow the summary line, one per skip reason, most frequent first:
 * `skipped: 4 — this service cannot deny access (packages/a.test.ts, packages/b.test.ts)`.
 * Tests skipped without a note (`describe.skipIf`, `it.skip`) are grouped per file.
 *
 * @example
 * summarizeSkips([{ reason: 'no latency control', file: 'packages/secrets-aws/test/moto.test.ts' }]);
 * // ['skipped: 1 — no latency control (packages/secrets-aws/test/moto.test.ts)']
 */
export function summarizeSkips(skipped: ReadonlyArray<SkippedTest>): string[] {
  const groups = new Map<string, { count: number; files: Set<string>; noted: boolean }>();
  for (const { reason, file } of skipped) {
    const noted = Boolean(reason?.trim());
    const key = noted ? (reason ?? '').trim() : `no reason given, in ${file}`;
    const group = groups.get(key) ?? { count: 0, files: new Set<string>(), noted };
    group.count++;
    group.files.add(file);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .sort(([reasonA, a], [reasonB, b]) => b.count - a.count || reasonA.localeCompare(reasonB))
    .map(([reason, { count, files, noted }]) =>
      noted
        ? `skipped: ${count} — ${reason} (${listFiles([...files].sort())})`
        : `skipped: ${count} — ${reason}`,
    );
}

function listFiles(files: ReadonlyArray<string>): string {
  const shown = files.slice(0, filesShown).join(', ');
  return files.length > filesShown ? `${shown}, +${files.length - filesShown} more` : shown;
}
