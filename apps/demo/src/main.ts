import { formatTable } from './format-table.ts';
import { outputClosedSignal } from './output-closed-signal.ts';
import { parseArguments, USAGE } from './parse-arguments.ts';
import { runScenarios } from './scenarios.ts';
import { serveDemo } from './serve-demo.ts';
import { startDemoStack } from './start-demo-stack.ts';

const outputClosed = outputClosedSignal();

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArguments>;
  try {
    args = parseArguments(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.serve) return serveDemo(args);
  const started = Date.now();
  const stack = await startDemoStack(args.vendors);
  try {
    if (!args.json) {
      process.stderr.write(
        `dual-auth demo: embedded IdP (${args.vendors.join(', ')}), finance API, out-of-session agent; ${stack.keyOrigin === 'user' ? 'your APP_* key pair' : 'ephemeral RSA key pair'}\n\n`,
      );
    }
    const results = await runScenarios(
      stack,
      args.vendors,
      (result) => {
        if (args.json && !outputClosed.aborted) process.stdout.write(`${JSON.stringify(result)}\n`);
      },
      outputClosed,
    );
    // Whoever read the output has all they wanted (`| head`): stop quietly.
    if (outputClosed.aborted) return 0;
    if (!args.json) process.stdout.write(`${formatTable(results)}\n`);
    if (!args.json) process.stderr.write(`\nfinished in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return results.every((result) => result.pass) ? 0 : 1;
  } finally {
    await stack.close();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(
    `demo: failed: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'}\n`,
  );
  return 1;
});
