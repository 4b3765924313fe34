import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readFirstLine } from './read-first-line.ts';

const node = (script: string) =>
  spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });

describe('readFirstLine', () => {
  it('returns the first line and keeps draining what follows, so the process can finish', async () => {
    const child = node(
      "process.stdout.write('ready {\"a\":1}\\n'); for (let i = 0; i < 2000; i++) process.stdout.write('x'.repeat(1000) + '\\n');",
    );
    expect(await readFirstLine(child)).toBe('ready {"a":1}');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
  });

  it('rejects when the process exits without a line', async () => {
    await expect(readFirstLine(node('process.exit(3)'))).rejects.toThrow(/exited before printing a line/);
  });

  it('kills a process that prints nothing within the timeout', async () => {
    const child = node('setTimeout(() => {}, 60_000)');
    await expect(readFirstLine(child, { timeoutMs: 200 })).rejects.toThrow(/no line within 200 ms/);
    expect(child.killed).toBe(true);
  });

  it('refuses a process whose stdout is not piped', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await expect(readFirstLine(child)).rejects.toThrow(TypeError);
  });
});
