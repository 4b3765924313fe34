import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The venv tools/provision/python.mjs builds from python-requirements.txt (`PYTHON_CACHE` + `/venv`). */
export const PYTHON_VENV = fileURLToPath(new URL('../../.cache/python/venv/', import.meta.url));

/** The venv's interpreter, whether or not it exists yet. */
export const VENV_PYTHON = `${PYTHON_VENV}bin/python`;

/**
 * The venv's interpreter for a test that drives a Python peer (the dual-auth reference, moto's
 * server). Throws, and so fails the test rather than skipping it, when the venv was never built.
 *
 * @example
 * const python = requireVenvPython();
 * spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)]);
 */
export function requireVenvPython(): string {
  if (!existsSync(VENV_PYTHON)) {
    throw new Error(
      `the Python venv is missing (${VENV_PYTHON}): run \`npm test\`, or \`node tools/provision/index.mjs\` ` +
        'through the bootstrap, to build it from tools/provision/python-requirements.txt.',
    );
  }
  return VENV_PYTHON;
}
