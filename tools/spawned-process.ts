import type { ChildProcess } from 'node:child_process';
import net from 'node:net';

/**
 * The first line a child process writes to stdout; rejects when the child exits first or after
 * `timeoutMs`, with what it wrote to stderr.
 *
 * @example
 * ```ts
 * const child = spawn(process.execPath, ['server.js'], { stdio: ['ignore', 'pipe', 'pipe'] });
 * const ready = JSON.parse(await firstLineOf(child, 30_000));
 * ```
 */
export function firstLineOf(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(
      () => settle(new Error(`no line within ${timeoutMs} ms; stderr: ${stderr}`)),
      timeoutMs,
    );
    const onStdout = (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const end = stdout.indexOf('\n');
      if (end >= 0) settle(undefined, stdout.slice(0, end));
    };
    const onStderr = (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    };
    const onExit = (code: number | null) =>
      settle(new Error(`exited (${code}) before a line; stderr: ${stderr}`));
    function settle(error: Error | undefined, line = '') {
      clearTimeout(timer);
      child.stdout?.off('data', onStdout);
      child.stderr?.off('data', onStderr);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(line);
    }
    child.stdout?.on('data', onStdout);
    child.stderr?.on('data', onStderr);
    child.once('exit', onExit);
  });
}

/**
 * The exit code, or the signal that ended the child, once it has exited.
 *
 * @example
 * ```ts
 * child.kill('SIGTERM');
 * expect(await exitOf(child)).toEqual({ code: 0, signal: null });
 * ```
 */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Whether nothing accepts connections on `127.0.0.1:port` any more within `timeoutMs`.
 *
 * @example
 * ```ts
 * expect(await portClosesWithin(port, 5_000)).toBe(true);
 * ```
 */
export async function portClosesWithin(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await accepts(port))) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !(await accepts(port));
}
