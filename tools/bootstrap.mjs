#!/usr/bin/env node
// Sets up everything the workspace needs, starting from any Node >= 18 with npm, then runs a
// root script with that toolchain. It must stay dependency-free and runnable by the machine's
// own Node, because it is what brings the project's Node and pnpm in the first place.
//
//   node tools/bootstrap.mjs                 set up only
//   node tools/bootstrap.mjs run <script>    set up, then `pnpm run <script> [args…]`
//   node tools/bootstrap.mjs exec <cmd>      set up, then run a command with the toolchain on PATH

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAtLeast, minimumNodeVersion } from './node-engines.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const toolchainDir = join(root, '.toolchain');

function fail(message) {
  process.stderr.write(`\nbootstrap: ${message}\n`);
  process.exit(1);
}

function log(message) {
  process.stderr.write(`bootstrap: ${message}\n`);
}

// Set-up steps write to stderr: stdout carries only the output of the command that was asked for.
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: ['inherit', 2, 2], ...options });
  if (result.error) fail(`could not start ${command}: ${result.error.message}`);
  return result.status ?? 1;
}

// The command the user asked for runs as a child that outlives a `spawnSync` caller killed by a
// signal: forward the signals a terminal, `kill` or a service manager sends, and end with the child.
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function parentsOfProcesses() {
  const parents = new Map();
  if (existsSync('/proc/self/stat')) {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        // "pid (command) state ppid …"; the command itself may hold spaces and parentheses.
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        // The process ended while the list was read.
      }
    }
    return parents;
  }
  const listing = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  for (const line of (listing.stdout ?? '').split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid > 0) parents.set(pid, ppid);
  }
  return parents;
}

// pnpm and the shells it starts for a script do not pass a signal on: a signal sent to the direct
// child alone would orphan the command at the end of the chain, so every descendant gets it.
function processTreeOf(rootPid) {
  const parents = parentsOfProcesses();
  const tree = [rootPid];
  for (let index = 0; index < tree.length; index++) {
    for (const [pid, parent] of parents) if (parent === tree[index]) tree.push(pid);
  }
  return tree;
}

function runUntilExit(command, args, options = {}) {
  const child = spawn(command, args, { stdio: 'inherit', ...options });
  const forward = (signal) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    for (const pid of processTreeOf(child.pid)) {
      try {
        process.kill(pid, signal);
      } catch {
        // Already gone.
      }
    }
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  child.once('error', (error) => fail(`could not start ${command}: ${error.message}`));
  child.once('exit', (code, signal) => {
    for (const each of FORWARDED_SIGNALS) process.off(each, forward);
    process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
  });
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
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  if (isAtLeast(process.versions.node, minimumNodeVersion(manifest.engines?.node)))
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
if (mode === 'run') {
  runUntilExit(nodeExecutable, [pnpmEntry, 'run', '--silent', ...rest], { cwd: root, env: environment });
} else if (mode === 'exec') {
  const [command, ...args] = rest;
  if (!command) fail('exec needs a command');
  runUntilExit(command, args, { cwd: root, env: environment });
} else {
  fail(`unknown mode "${mode}": use run <script> or exec <command>`);
}
