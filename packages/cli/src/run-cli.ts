import { readFileSync } from 'node:fs';
import type { CliIo } from './cli-io.ts';
import { doctorCommand } from './doctor-command.ts';
import { type ExitCode, exitCodes } from './exit-codes.ts';
import { idpCommand } from './idp-command.ts';
import { inspectCommand } from './inspect-command.ts';
import { CliExit, type Command, type CommandContext, createStyle } from './internal/command-context.ts';
import { keygenCommand } from './keygen-command.ts';
import { verifyCommand } from './verify-command.ts';

const commands: readonly Command[] = [
  keygenCommand,
  inspectCommand,
  verifyCommand,
  doctorCommand,
  idpCommand,
];

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

function usage(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return `Usage: dual-auth <command> [options]

dual-subject (agent AND human) authorization on the IAM you already run.

Commands:
${commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Every command takes --help, and --json for machine-readable output.
Colour is used on a terminal unless NO_COLOR is set.

Exit codes: 0 ok/allow, 1 deny or failed check, 2 usage, 3 input, 4 token invalid,
5 IdP unavailable, 70 internal error.`;
}

/**
 * Runs the `dual-auth` command with these arguments (without `node` and the script) and resolves
 * its exit code; it never throws and never calls `process.exit`, so it can be embedded and tested.
 *
 * @example
 * ```ts
 * import { runCli } from '@dual-auth/cli';
 *
 * process.exitCode = await runCli(process.argv.slice(2));
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<ExitCode> {
  const out = io.stdout ?? process.stdout;
  const err = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  const context: CommandContext = {
    out,
    err,
    env,
    cwd: io.cwd ?? process.cwd(),
    stdin: io.stdin ?? (io.stdout === undefined ? process.stdin : undefined),
    signal: io.signal,
    style: createStyle(out, env),
  };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? commands.find((command) => command.name === rest[0]) : undefined;
    out.write(`${topic?.help ?? usage()}\n`);
    return name === undefined ? exitCodes.usage : exitCodes.ok;
  }
  if (name === '--version' || name === '-v') {
    out.write(`${version()}\n`);
    return exitCodes.ok;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    err.write(`dual-auth: unknown command "${name}"\n\n${usage()}\n`);
    return exitCodes.usage;
  }
  try {
    return await command.run(rest, context);
  } catch (error) {
    if (error instanceof CliExit) {
      err.write(`dual-auth ${command.name}: ${error.message}\n`);
      if (error.exitCode === exitCodes.usage)
        err.write(`Run "dual-auth ${command.name} --help" for usage.\n`);
      return error.exitCode;
    }
    err.write(
      `dual-auth ${command.name}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return exitCodes.internal;
  }
}
