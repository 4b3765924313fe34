// Runs our small driver scripts (apps/e2e/python/*.py) with the real Python reference, dual-auth
// 1.0.1 from PyPI, installed in the project's venv. Each run is bounded by a timeout, gets a minimal
// environment (no proxies, no credentials, no home directory of the user) and answers one JSON object.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requireVenvPython } from '../../../../tools/provision/python-venv.ts';

const repositoryRoot = new URL('../../../../', import.meta.url);
const scripts = new URL('../../python/', import.meta.url);
const testCa = fileURLToPath(new URL('packages/testkit/fixtures/tls/ca.pem', repositoryRoot));

/** The driver scripts, one per role of the seed. */
export type PythonDriver = 'sign_act_jwt' | 'receive_act_jwt' | 'request_token' | 'call_api';

const TIMEOUT_MS = 30_000;
const MAXIMUM_OUTPUT = 1024 * 1024;

/**
 * Throws when the venv is missing: these suites must fail, never skip, on a machine that was not
 * provisioned (the message names `npm test`, which builds it).
 */
export function requirePythonReference(): void {
  requireVenvPython();
}

/**
 * Runs `driver` with `input` on stdin and `settings` as its environment (the seed's variables:
 * DUAL_AUTH_VENDOR, KEYCLOAK_TOKEN_URL, AGENT_CLIENT_ID …); resolves its JSON answer. The test CA
 * is the only trusted root (REQUESTS_CA_BUNDLE), so Python reaches the loopback HTTPS servers only.
 */
export async function runPythonDriver<T>(
  driver: PythonDriver,
  input: unknown,
  settings: Readonly<Record<string, string>> = {},
): Promise<T> {
  const child = spawn(
    requireVenvPython(),
    ['-E', '-s', '-B', fileURLToPath(new URL(`${driver}.py`, scripts))],
    {
      cwd: fileURLToPath(scripts),
      env: {
        PATH: '/usr/bin:/bin',
        HOME: '/nonexistent',
        REQUESTS_CA_BUNDLE: testCa,
        SSL_CERT_FILE: testCa,
        NO_PROXY: '*',
        no_proxy: '*',
        DUAL_AUTH_SECRETS_BACKEND: 'env',
        ...settings,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: TIMEOUT_MS,
      killSignal: 'SIGKILL',
    },
  );
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let size = 0;
  const collect = (into: Buffer[]) => (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAXIMUM_OUTPUT) child.kill('SIGKILL');
    else into.push(chunk);
  };
  child.stdout.on('data', collect(stdout));
  child.stderr.on('data', collect(stderr));
  child.stdin.end(JSON.stringify(input));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  const out = Buffer.concat(stdout).toString('utf8');
  if (code !== 0) {
    const tail = Buffer.concat(stderr).toString('utf8').slice(-2000);
    throw new Error(`${driver}.py ended with ${signal ?? `exit code ${code}`}: ${tail}`);
  }
  return JSON.parse(out) as T;
}

/** A driver's report of a Python exception. */
export interface PythonFailure {
  readonly ok: false;
  readonly error_type: string;
  readonly message: string;
  readonly status_code: number | null;
  /** The reference's own log events up to the failure (`event`, `status_code`, `error_type`). */
  readonly events: ReadonlyArray<Readonly<Record<string, unknown>>>;
}

/** The seed's `TokenResponse`, as the drivers print it. */
export interface PythonTokenResponse {
  readonly ok: true;
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly scope: string;
  readonly act_assertion: string | null;
}
