export type { CliIo, CliOutput } from './cli-io.ts';
export { type ExitCode, exitCodes } from './exit-codes.ts';
export { runCli } from './run-cli.ts';
