import { type ChildProcess, spawn } from 'node:child_process';
import { requireVenvPython } from '../../../tools/provision/python-venv.ts';

/** AWS credentials of an IAM user moto holds. */
export interface MotoCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** A running `moto.server` (the venv's moto[server]) on a loopback port of its choosing. */
export interface MotoServer {
  readonly endpoint: string;
  /** False once the server has exited. */
  readonly running: boolean;
  /** Forgets every resource (secrets, IAM users) and turns IAM authentication off. */
  reset(): Promise<void>;
  /**
   * Turns moto's IAM authentication on or off: when on, every request must be signed with the
   * keys of an IAM user moto holds and be allowed by that user's policies.
   */
  setAuthentication(enabled: boolean): Promise<void>;
  /** Runs an IAM Query API action, with authentication off for its duration, and returns moto's XML answer. */
  iam(action: string, parameters: Record<string, string>): Promise<string>;
  /** Creates an IAM user with an inline policy and an access key. */
  createUser(userName: string, policy: object): Promise<MotoCredentials>;
  stop(): Promise<void>;
}

const startTimeoutMs = 20_000;
const readyLine = /Running on http:\/\/127\.0\.0\.1:(\d+)/;
// Moto's server picks the service from the credential scope of the Authorization header; with
// authentication off the signature itself is never checked.
const iamScope =
  'AWS4-HMAC-SHA256 Credential=AKIAMOTOSETUP000000/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0';

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`moto.server printed no ready line within ${startTimeoutMs} ms: ${output.slice(-500)}`),
      );
    }, startTimeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = readyLine.exec(output)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(Number(port));
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`moto.server exited (${code}) before it was ready: ${output.slice(-500)}`));
    };
    // Moto logs every request on stderr: keep draining it after the ready line.
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Starts moto's server from the provisioned venv (failing, not skipping, when the venv is missing),
 * waits at most 20 s for it, and stops it with SIGTERM (SIGKILL after 5 s).
 *
 * @example
 * const moto = await startMotoServer();
 * const client = new SecretsManagerClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials });
 * await moto.stop();
 */
export async function startMotoServer(): Promise<MotoServer> {
  const child = spawn(requireVenvPython(), ['-m', 'moto.server', '-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1', MOTO_IAM_LOAD_MANAGED_POLICIES: 'false' },
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => {
    exited = true;
    process.off('exit', killOnExit);
  });
  const endpoint = `http://127.0.0.1:${await waitForPort(child)}`;

  const motoApi = async (path: string, body: string) => {
    const response = await fetch(`${endpoint}/moto-api/${path}`, { method: 'POST', body });
    if (!response.ok) throw new Error(`moto-api/${path} answered ${response.status}`);
  };
  const setAuthentication = (enabled: boolean) => motoApi('reset-auth', enabled ? '0' : 'inf');
  let authentication = false;

  const iam = async (action: string, parameters: Record<string, string>) => {
    const wasOn = authentication;
    if (wasOn) await setAuthentication(false);
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: iamScope },
        body: new URLSearchParams({ Action: action, Version: '2010-05-08', ...parameters }),
      });
      const text = await response.text();
      if (!response.ok)
        throw new Error(`moto IAM ${action} answered ${response.status}: ${text.slice(0, 300)}`);
      return text;
    } finally {
      if (wasOn) await setAuthentication(true);
    }
  };

  const server: MotoServer = {
    endpoint,
    get running() {
      return !exited;
    },
    async reset() {
      await motoApi('reset', '');
      await server.setAuthentication(false);
    },
    async setAuthentication(enabled) {
      await setAuthentication(enabled);
      authentication = enabled;
    },
    iam,
    async createUser(userName, policy) {
      await iam('CreateUser', { UserName: userName });
      await iam('PutUserPolicy', {
        UserName: userName,
        PolicyName: `${userName}-policy`,
        PolicyDocument: JSON.stringify(policy),
      });
      const answer = await iam('CreateAccessKey', { UserName: userName });
      const field = (name: string) => {
        const value = new RegExp(`<${name}>([^<]+)</${name}>`).exec(answer)?.[1];
        if (value === undefined) throw new Error(`moto's CreateAccessKey answer has no ${name}`);
        return value;
      };
      return { accessKeyId: field('AccessKeyId'), secretAccessKey: field('SecretAccessKey') };
    },
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(forced);
    },
  };
  return server;
}
