#!/usr/bin/env node
// `npm run cli -- <command> [options]`: the dual-auth command from a checkout, before any release.
// Builds @dual-auth/cli and the workspace packages it imports (a turbo cache hit, about half a
// second, when nothing changed) without a word on stdout, then runs the built command in this
// process with the arguments given, so its output, exit code and signals are its own.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const turbo = join(root, 'node_modules', '.bin', 'turbo');

const build = spawnSync(turbo, ['run', 'build', '--filter=@dual-auth/cli...', '--output-logs=errors-only'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
});
if (build.status !== 0) {
  const cause = build.error
    ? `could not start turbo (${build.error.message}); run \`npm run setup\` first`
    : 'see the build output above';
  process.stderr.write(
    `${build.stdout ?? ''}${build.stderr ?? ''}\ndual-auth: building @dual-auth/cli failed: ${cause}\n`,
  );
  process.exit(1);
}

// pnpm passes a `--` separator through when the script's arguments came after one.
if (process.argv[2] === '--') process.argv.splice(2, 1);
await import(pathToFileURL(join(root, 'packages', 'cli', 'bin', 'dual-auth.js')).href);
