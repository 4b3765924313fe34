// The dual-auth command as a child process: the TypeScript entry run with Node's type stripping
// (dev-source condition), or the built bin shim.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
export const sourceEntry = join(packageDirectory, 'src/main.ts');

/** Starts the command with only PATH and `env` in its environment. */
export function startCli(
  args: readonly string[],
  env: Record<string, string> = {},
  entry = sourceEntry,
): ChildProcessWithoutNullStreams {
  return spawn(
    process.execPath,
    [...(entry === sourceEntry ? ['--conditions=dev-source'] : []), entry, ...args],
    { cwd: packageDirectory, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
}

/** Runs the command to its end (killed after 30 s) with `input` on stdin. */
export async function runCliProcess(
  args: readonly string[],
  env: Record<string, string> = {},
  input?: string,
  entry = sourceEntry,
) {
  const child = startCli(args, env, entry);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  child.stdin.end(input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}
