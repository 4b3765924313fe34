import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import tls from 'node:tls';
import { type ParseArgsConfig, parseArgs, styleText } from 'node:util';
import type { CliOutput } from '../cli-io.ts';
import { type ExitCode, exitCodes } from '../exit-codes.ts';

/** A failure that ends a command with a documented exit code and a one-line message. */
export class CliExit extends Error {
  readonly exitCode: ExitCode;
  constructor(exitCode: ExitCode, message: string) {
    super(message);
    this.name = 'CliExit';
    this.exitCode = exitCode;
  }
}

/** Colour helpers; identity functions when colour is off. */
export interface Style {
  readonly ok: (text: string) => string;
  readonly fail: (text: string) => string;
  readonly warn: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

/** What every command gets. */
export interface CommandContext {
  readonly out: CliOutput;
  readonly err: CliOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdin: AsyncIterable<string | Uint8Array> | undefined;
  readonly signal: AbortSignal | undefined;
  readonly style: Style;
}

/** One sub-command. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  run(argv: readonly string[], context: CommandContext): Promise<ExitCode>;
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org) or TERM=dumb. */
export function createStyle(output: CliOutput, env: CommandContext['env']): Style {
  const enabled =
    output.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb';
  const paint =
    (format: Parameters<typeof styleText>[0]) =>
    (text: string): string =>
      enabled ? styleText(format, text, { validateStream: false }) : text;
  return {
    ok: paint('green'),
    fail: paint('red'),
    warn: paint('yellow'),
    dim: paint('dim'),
    bold: paint('bold'),
  };
}

/** Options every command accepts. */
export const commonOptions = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  'ca-file': { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** parseArgs with strict options; a mistake becomes a usage exit naming it. */
export function parseCommandArgs<const T extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: T,
  allowPositionals: boolean,
) {
  try {
    return parseArgs({
      args: [...argv],
      options: { ...commonOptions, ...options },
      strict: true,
      allowPositionals,
      allowNegative: true,
    });
  } catch (error) {
    throw new CliExit(exitCodes.usage, (error as Error).message);
  }
}

/** Resolves a user-given path against the command's working directory. */
export function resolvePath(context: CommandContext, path: string): string {
  return isAbsolute(path) ? path : resolve(context.cwd, path);
}

/**
 * Adds a PEM CA bundle to this process's default TLS trust (global fetch included), for IdPs with a
 * private CA such as the embedded IdP. `NODE_EXTRA_CA_CERTS` does the same from the environment.
 * Needs `tls.setDefaultCACertificates` (Node.js 24.5 and the 22.x releases that have it); on an
 * older Node.js, `--ca-file` is a usage error (exit 2) that points to `NODE_EXTRA_CA_CERTS`.
 */
export async function trustCaFile(context: CommandContext, path: string | undefined): Promise<void> {
  if (path === undefined) return;
  if (typeof tls.setDefaultCACertificates !== 'function' || typeof tls.getCACertificates !== 'function') {
    throw new CliExit(
      exitCodes.usage,
      `--ca-file needs a Node.js with tls.setDefaultCACertificates (24.5 or later; this is ${process.version}): start the command with NODE_EXTRA_CA_CERTS=${path} instead`,
    );
  }
  let pem: string;
  try {
    pem = await readFile(resolvePath(context, path), 'utf8');
  } catch (error) {
    throw new CliExit(
      exitCodes.input,
      `cannot read --ca-file ${path}: ${(error as NodeJS.ErrnoException).code}`,
    );
  }
  const certificates = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (certificates === null) throw new CliExit(exitCodes.input, `--ca-file ${path} holds no PEM certificate`);
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), ...certificates]);
}

/** Reads the whole of stdin as text (bounded). */
export async function readStdin(context: CommandContext, limit: number): Promise<string> {
  if (context.stdin === undefined) throw new CliExit(exitCodes.input, 'no standard input to read');
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of context.stdin) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text.length > limit)
      throw new CliExit(exitCodes.input, `standard input is longer than ${limit} characters`);
  }
  return text + decoder.decode();
}

/** Writes a value as one JSON document. */
export function writeJson(context: CommandContext, value: unknown): void {
  context.out.write(`${JSON.stringify(value, null, 2)}\n`);
}
