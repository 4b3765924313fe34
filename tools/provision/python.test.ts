import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provisionPython, pythonPaths, REQUIREMENTS_FILE } from './python.mjs';
import { PYTHON_VENV } from './python-venv.ts';

let root: string;
let commands: string[];

// Stands in for python/pip only in what they leave behind (the venv's interpreter), so the
// stamps can be checked without the network; the real run is `node tools/provision/index.mjs python`.
function run(_command: string, args: readonly string[]) {
  commands.push(args.slice(0, 3).join(' '));
  if (args[1] === 'venv') {
    const python = join(args[args.length - 1] ?? '', 'bin', 'python');
    mkdirSync(dirname(python), { recursive: true });
    writeFileSync(python, '');
  }
  return 0;
}

const provisionHere = () => provisionPython({ root, log: () => {}, run });
const writeRequirements = (text: string) => writeFileSync(join(root, REQUIREMENTS_FILE), text);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'dual-auth-python-'));
  mkdirSync(join(root, 'tools', 'provision'), { recursive: true });
  writeRequirements('dual-auth==1.0.1\n');
  commands = [];
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('provisionPython', () => {
  it('creates the venv, downloads the wheels, installs from them without the index', () => {
    expect(provisionHere()).toMatchObject({ python: pythonPaths(root).python, changed: true });
    expect(commands).toEqual(['-m venv --clear', '-m pip download', '-m pip install']);
  });

  it('runs nothing the second time: the stamps match', () => {
    provisionHere();
    commands = [];
    expect(provisionHere()).toMatchObject({ changed: false });
    expect(commands).toEqual([]);
  });

  it('rebuilds a deleted venv from the downloaded wheels, without downloading', () => {
    provisionHere();
    rmSync(pythonPaths(root).venv, { recursive: true });
    commands = [];
    provisionHere();
    expect(commands).toEqual(['-m venv --clear', '-m pip install']);
  });

  it('downloads and installs again when the requirements change', () => {
    provisionHere();
    writeRequirements('dual-auth==1.0.1\nmoto[server]==5.2.5\n');
    commands = [];
    provisionHere();
    expect(commands).toEqual(['-m venv --clear', '-m pip download', '-m pip install']);
  });

  it('fails with the step that failed, and writes no stamp', () => {
    const failing = () => 1;
    expect(() => provisionPython({ root, log: () => {}, run: failing })).toThrow(/creating the venv failed/);
    expect(existsSync(join(pythonPaths(root).venv, '.provisioned'))).toBe(false);
  });

  it('builds the venv where the tests look for it', () => {
    expect(`${pythonPaths(join(import.meta.dirname, '..', '..')).venv}/`).toBe(PYTHON_VENV);
  });
});
