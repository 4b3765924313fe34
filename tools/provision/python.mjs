import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProvisionError } from './provision-error.mjs';
import { runCommand } from './run-command.mjs';

/** Relative to the repository; tools/provision/python-venv.ts, which tests use, names the same folder. */
export const PYTHON_CACHE = '.cache/python';
export const REQUIREMENTS_FILE = 'tools/provision/python-requirements.txt';

/**
 * The folders of the project's Python environment under `root`: the venv, the downloaded wheels
 * it is installed from (so a rebuilt venv needs no network), and pip's own cache.
 *
 * @example
 * const { venv, python } = pythonPaths('/work/main'); // python: …/.cache/python/venv/bin/python
 */
export function pythonPaths(root) {
  const cache = join(root, PYTHON_CACHE);
  const venv = join(cache, 'venv');
  return {
    cache,
    venv,
    python: join(venv, 'bin', 'python'),
    wheels: join(cache, 'wheels'),
    pipCache: join(cache, 'pip-cache'),
    requirements: join(root, REQUIREMENTS_FILE),
  };
}

function interpreterVersion(python) {
  const result = spawnSync(python, ['--version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0)
    throw new ProvisionError(
      `the Python suites need ${python} (3.11 or newer, with the venv module), and it could not run` +
        `${result.error ? `: ${result.error.message}` : ''}. Install python3 and python3-venv, then run \`npm test\` again.`,
    );
  return `${result.stdout}${result.stderr}`.trim();
}

function sha256(text) {
  return createHash('sha256').update(text).digest('hex');
}

function stampIs(path, value) {
  return existsSync(path) && readFileSync(path, 'utf8') === value;
}

/**
 * Creates `.cache/python/venv` from python-requirements.txt, in two cached stages that each skip
 * when their stamp matches: the wheels are downloaded once per requirements hash, and the venv is
 * installed from them with `--no-index` once per requirements hash and interpreter version. A
 * second run therefore starts no process that needs the network.
 *
 * @example
 * const { python } = provisionPython({ root: '/work/main', log: console.error });
 */
export function provisionPython({ root, log, systemPython = 'python3', run = runCommand }) {
  const paths = pythonPaths(root);
  if (!existsSync(paths.requirements)) throw new ProvisionError(`${REQUIREMENTS_FILE} is missing`);
  const requirements = readFileSync(paths.requirements, 'utf8');
  const version = interpreterVersion(systemPython);
  const venvStamp = join(paths.venv, '.provisioned');
  const venvFingerprint = sha256(`${version}\n${requirements}`);
  if (existsSync(paths.python) && stampIs(venvStamp, venvFingerprint)) {
    log(`python: ${paths.venv} up to date (${version})`);
    return { venv: paths.venv, python: paths.python, changed: false };
  }

  const environment = {
    ...process.env,
    PIP_CACHE_DIR: paths.pipCache,
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_INPUT: '1',
  };
  const step = (what, command, args) => {
    if (run(command, args, { env: environment }) !== 0)
      throw new ProvisionError(`python: ${what} failed; see the output above.`);
  };
  log(`python: creating ${paths.venv} with ${version}`);
  step('creating the venv', systemPython, ['-m', 'venv', '--clear', paths.venv]);

  const wheelsStamp = join(paths.wheels, '.downloaded');
  const requirementsHash = sha256(requirements);
  if (!stampIs(wheelsStamp, requirementsHash)) {
    log(`python: downloading the wheels of ${REQUIREMENTS_FILE} into ${paths.wheels}`);
    mkdirSync(paths.wheels, { recursive: true });
    step('downloading the requirements', paths.python, [
      ...['-m', 'pip', 'download', '--quiet', '--prefer-binary'],
      ...['--dest', paths.wheels, '--requirement', paths.requirements],
    ]);
    writeFileSync(wheelsStamp, requirementsHash);
  }
  log('python: installing the requirements from the downloaded wheels (no network)');
  step('installing the requirements', paths.python, [
    ...['-m', 'pip', 'install', '--quiet', '--no-index'],
    ...['--find-links', paths.wheels, '--requirement', paths.requirements],
  ]);
  writeFileSync(venvStamp, venvFingerprint);
  return { venv: paths.venv, python: paths.python, changed: true };
}
