import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { type SkippedTest, summarizeSkips } from './skip-summary.ts';

/**
 * Ends the run with one plain line, `tests: N passed, N failed, N skipped`, that any CI log reader
 * understands without knowing vitest's own summary format, followed by one `skipped: N — reason`
 * line per reason the skipped tests gave.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const skipped: SkippedTest[] = [];
    for (const testModule of testModules) {
      const file = relative(process.cwd(), testModule.moduleId);
      for (const test of testModule.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') counts.passed++;
        else if (result.state === 'failed') counts.failed++;
        else {
          counts.skipped++;
          const reason =
            result.state === 'skipped'
              ? (result.note ?? (test.options.mode === 'todo' ? 'todo' : undefined))
              : 'not run';
          skipped.push({ reason, file });
        }
      }
      if (testModule.state() === 'failed' && [...testModule.children.allTests()].length === 0)
        counts.failed++;
    }
    counts.failed += unhandledErrors.length;
    const lines = [
      `tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
      ...summarizeSkips(skipped),
    ];
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
