// The process entry of the `dual-auth` command (bin/dual-auth.js imports the built copy).
import { runCli } from './run-cli.ts';

process.exitCode = await runCli(process.argv.slice(2));
