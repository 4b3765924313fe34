import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Options of {@link readFirstLine}.
 *
 * @example
 * ```ts
 * const line = await readFirstLine(child, { timeoutMs: 30_000 } satisfies ReadFirstLineOptions);
 * ```
 */
export interface ReadFirstLineOptions {
  /** The process is killed (SIGKILL) when it prints no line within this time (default 20 s). */
  readonly timeoutMs?: number;
}

/**
 * The first line a child process prints on its piped stdout — the ready line of `dual-auth-idp`,
 * `dual-auth idp` or the demo's `--serve`. Rejects, after killing the process, when it prints none
 * within the timeout or exits first. Later output keeps being drained, so the process never blocks
 * on a full pipe.
 *
 * @example
 * ```ts
 * const idp = spawn('npx', ['dual-auth-idp', '--vendor', 'keycloak'], { stdio: ['ignore', 'pipe', 'inherit'] });
 * const description = JSON.parse(await readFirstLine(idp)) as { baseUrl: string };
 * ```
 */
export async function readFirstLine(
  child: Pick<ChildProcess, 'stdout' | 'kill'>,
  options: ReadFirstLineOptions = {},
): Promise<string> {
  const { stdout } = child;
  if (stdout === null) throw new TypeError('readFirstLine needs a child process whose stdout is piped');
  const timeoutMs = options.timeoutMs ?? 20_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  try {
    for await (const line of createInterface({ input: stdout })) return line;
    throw new Error(
      timedOut
        ? `the process printed no line within ${timeoutMs} ms`
        : 'the process exited before printing a line',
    );
  } finally {
    clearTimeout(timer);
    // Leaving the loop closes the line reader, which pauses the stream; keep draining it.
    stdout.resume();
  }
}
