// `npm run demo -- --json | head -1`: the reader closes the pipe after one line. The demo used to
// die on the next write with an unhandled `write EPIPE` stack trace and exit 1; it now stops
// running scenarios, closes its servers and exits 0 without a word.
import { spawn } from 'node:child_process';
import { readFirstLine } from '@dual-auth/testkit';
import { describe, expect, it } from 'vitest';

describe('demo --json into a pipe that closes early', () => {
  it('exits 0 quietly once the reader is gone', async () => {
    const demo = spawn(
      process.execPath,
      [
        '--conditions=dev-source',
        '--disable-warning=ExperimentalWarning',
        'src/main.ts',
        '--json',
        '--vendor',
        'all',
      ],
      { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    demo.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
    const first = JSON.parse(await readFirstLine(demo, { timeoutMs: 30_000 })) as { vendor: string };
    expect(first.vendor).toBe('keycloak');
    // What `head` does once it has its line.
    demo.stdout.destroy();
    const started = Date.now();
    expect(await exited).toBe(0);
    // It stopped instead of running every vendor's scenarios into the void.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
  }, 60_000);
});
