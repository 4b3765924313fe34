/**
 * Where the `dual-auth` command reads and writes: the process streams and environment by default,
 * replaceable for tests and for embedding the command in another tool.
 *
 * @example
 * ```ts
 * let out = '';
 * const status = await runCli(['inspect', token, '--json'], { stdout: { write: (text) => (out += text) } });
 * ```
 */
export interface CliIo {
  /** Results (human-readable or `--json`). */
  readonly stdout?: CliOutput;
  /** Progress, warnings and errors. */
  readonly stderr?: CliOutput;
  /** Read by `inspect -` and `verify -`. */
  readonly stdin?: AsyncIterable<string | Uint8Array>;
  /** The environment `doctor` loads the configuration from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against (default `process.cwd()`). */
  readonly cwd?: string;
  /** Stops long-running commands (`idp`); default: SIGINT or SIGTERM. */
  readonly signal?: AbortSignal;
}

/**
 * A text sink: `process.stdout`, `process.stderr` or anything with `write`.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const output: CliOutput = { write: (text) => lines.push(text) };
 * ```
 */
export interface CliOutput {
  write(text: string): unknown;
  /** Colour is used only when this is true and `NO_COLOR` is unset. */
  readonly isTTY?: boolean;
}
