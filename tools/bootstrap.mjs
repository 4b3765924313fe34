#!/usr/bin/env node
// Sets up everything the workspace needs, starting from any Node >= 18 with npm, then runs a
// root script with that toolchain. It must stay dependency-free and runnable by the machine's
// own Node, because it is what brings the project's Node and pnpm in the first place.
//
//   node tools/bootstrap.mjs                 set up only
//   node tools/bootstrap.mjs run <script>    set up, then `pnpm run <script> [args…]`
//   node tools/bootstrap.mjs exec <cmd>      set up, then run a command with the toolchain on PATH

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MINIMUM_NODE_MAJOR = 22;
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const toolchainDir = join(root, '.toolchain');

function fail(message) {
  process.stderr.write(`\nbootstrap: ${message}\n`);
  process.exit(1);
}

function log(message) {
  process.stderr.write(`bootstrap: ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) fail(`could not start ${command}: ${result.error.message}`);
  return result.status ?? 1;
}

function pinnedNodeVersion() {
  const pinned = readFileSync(join(root, '.node-version'), 'utf8').trim();
  if (!/^\d+\.\d+\.\d+$/.test(pinned)) fail(`.node-version must hold an exact version, found "${pinned}"`);
  return pinned;
}

function pinnedPnpmVersion() {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const match = /^pnpm@(\d+\.\d+\.\d+)$/.exec(manifest.packageManager ?? '');
  if (!match) fail('package.json "packageManager" must be pnpm@<exact version>');
  return match[1];
}

// Installs one npm package into its own folder under .toolchain, once per version.
function installTool(folder, spec) {
  const target = join(toolchainDir, folder);
  const stamp = join(target, '.installed');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === spec) return target;
  log(`installing ${spec} from the npm registry`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, 'package.json'), '{"private":true}\n');
  const status = run(
    'npm',
    ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', spec],
    { cwd: target, env: { ...process.env, npm_config_nodedir: undefined } },
  );
  if (status !== 0) {
    fail(`npm could not install ${spec}. Check that the npm registry is reachable (npm ping) and try again.`);
  }
  writeFileSync(stamp, spec);
  return target;
}

function ensureNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= MINIMUM_NODE_MAJOR)
    return { nodeBinDir: resolve(process.execPath, '..'), nodeHome: undefined };
  const platformPackage = `node-${process.platform}-${process.arch}`;
  const version = pinnedNodeVersion();
  const folder = installTool(`node-${version}`, `${platformPackage}@${version}`);
  const nodeHome = join(folder, 'node_modules', platformPackage);
  const nodeBinDir = join(nodeHome, 'bin');
  if (!existsSync(join(nodeBinDir, 'node'))) fail(`${platformPackage}@${version} did not contain bin/node`);
  return { nodeBinDir, nodeHome };
}

function ensurePnpm() {
  const version = pinnedPnpmVersion();
  const folder = installTool(`pnpm-${version}`, `pnpm@${version}`);
  const entry = join(folder, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
  if (!existsSync(entry)) fail(`pnpm@${version} did not contain bin/pnpm.cjs`);
  // A two-line shim puts `pnpm` on PATH for turbo and nested scripts.
  const binDir = join(folder, 'bin');
  mkdirSync(binDir, { recursive: true });
  writeFileSync(join(binDir, 'pnpm'), `#!/bin/sh\nexec node "${entry}" "$@"\n`, { mode: 0o755 });
  return { pnpmBinDir: binDir, pnpmEntry: entry };
}

function fingerprintOfInstallInputs() {
  const hash = createHash('sha256');
  const manifests = ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', '.npmrc'];
  for (const group of ['packages', 'apps']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) manifests.push(join(group, name, 'package.json'));
  }
  for (const file of manifests) {
    const path = join(root, file);
    hash.update(file);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  return hash.digest('hex');
}

function ensureDependencies(environment, pnpmEntry) {
  const stamp = join(root, 'node_modules', '.bootstrap-fingerprint');
  const fingerprint = fingerprintOfInstallInputs();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint) return;
  log('installing workspace dependencies (pnpm install --frozen-lockfile)');
  const status = run(nodeExecutable, [pnpmEntry, 'install', '--frozen-lockfile'], {
    cwd: root,
    env: environment,
  });
  if (status !== 0) fail('pnpm install failed; see the output above.');
  writeFileSync(stamp, fingerprint);
}

const { nodeBinDir, nodeHome } = ensureNode();
const { pnpmBinDir, pnpmEntry } = ensurePnpm();
const nodeExecutable = join(nodeBinDir, 'node');
const environment = {
  ...process.env,
  PATH: [nodeBinDir, pnpmBinDir, process.env.PATH].join(':'),
  TURBO_TELEMETRY_DISABLED: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
  // Native addons must compile against the headers of the Node that runs them.
  ...(nodeHome ? { npm_config_nodedir: nodeHome } : {}),
};
ensureDependencies(environment, pnpmEntry);

const [mode, ...rest] = process.argv.slice(2);
if (mode === undefined) process.exit(0);
if (mode === 'run')
  process.exit(run(nodeExecutable, [pnpmEntry, 'run', '--silent', ...rest], { cwd: root, env: environment }));
if (mode === 'exec') {
  const [command, ...args] = rest;
  if (!command) fail('exec needs a command');
  process.exit(run(command, args, { cwd: root, env: environment }));
}
fail(`unknown mode "${mode}": use run <script> or exec <command>`);
