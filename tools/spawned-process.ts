import type { ChildProcess } from 'node:child_process';
import net from 'node:net';

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
