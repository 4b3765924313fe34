// `npm run cli -- <command>`: the dual-auth command from a checkout, built on demand. In a fresh
// checkout no package has a dist/ yet; running the bin there used to end in a raw
// ERR_MODULE_NOT_FOUND. The workspace is copied (sources and manifests, no dist/) to a scratch
// folder that shares node_modules and the turbo cache, so the shared tree's builds are untouched.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
let checkout: string;

beforeAll(() => {
  checkout = mkdtempSync(join(tmpdir(), 'dual-auth-checkout-'));
  const tracked = execFileSync(
    'git',
    [
      'ls-files',
      '-z',
      '-co',
      '--exclude-standard',
      '--',
      'package.json',
      'pnpm-lock.yaml',
      'pnpm-workspace.yaml',
      'turbo.json',
      'tsconfig.base.json',
      'tools/cli-from-checkout.mjs',
      'packages',
    ],
    { cwd: root, encoding: 'utf8' },
  )
    .split('\0')
    .filter((file) => file !== '' && !/^packages\/[^/]+\/test\//.test(file) && existsSync(join(root, file)));
  for (const file of tracked) {
    mkdirSync(dirname(join(checkout, file)), { recursive: true });
    cpSync(join(root, file), join(checkout, file));
  }
  // pnpm's per-package links are relative: copied as links, they resolve inside the copy.
  for (const folder of readdirSync(join(root, 'packages'))) {
    const modules = join(root, 'packages', folder, 'node_modules');
    if (existsSync(modules)) {
      cpSync(modules, join(checkout, 'packages', folder, 'node_modules'), {
        recursive: true,
        verbatimSymlinks: true,
      });
    }
  }
  symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'));
  mkdirSync(join(root, '.turbo'), { recursive: true });
  symlinkSync(join(root, '.turbo'), join(checkout, '.turbo'));
});

afterAll(() => {
  if (checkout) rmSync(checkout, { recursive: true, force: true });
});

describe('npm run cli', () => {
  it('builds the command and its packages when no dist/ exists, then runs it', () => {
    expect(existsSync(join(checkout, 'packages/cli/dist'))).toBe(false);
    const run = spawnSync(process.execPath, ['tools/cli-from-checkout.mjs', '--help'], {
      cwd: checkout,
      encoding: 'utf8',
    });
    expect(run.stderr).not.toContain('ERR_MODULE_NOT_FOUND');
    expect(run.status, run.stderr).toBe(0);
    // Only the command's own output on stdout: no build chatter.
    expect(run.stdout.startsWith('Usage: dual-auth <command>')).toBe(true);
    expect(run.stdout).not.toMatch(/turbo|Tasks:/);
    for (const name of ['cli', 'core', 'verifier', 'sender', 'testkit']) {
      expect(existsSync(join(checkout, `packages/${name}/dist/index.js`)), name).toBe(true);
    }
  }, 180_000);

  it('passes the arguments and the exit code through npm, bootstrap and pnpm', () => {
    const run = spawnSync('npm', ['run', '--silent', 'cli', '--', 'no-such-command', '--json'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toContain('unknown command "no-such-command"');
    expect(run.stdout).toBe('');
  }, 180_000);
});
