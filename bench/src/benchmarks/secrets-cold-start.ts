// Cold start of the AWS and GCP secrets backends: a fresh Node process imports the package, builds a
// backend and reads one secret from the testkit emulator (so the SDK load, client creation and first
// connection are all included), against the same steps done with the raw SDK. The emulators run in
// this process; each measured run is its own child process, alternating ours and the reference.
// Children load the packages' built `dist` (run `pnpm build` first), as an application would. Both
// sides load `@dual-auth/core` first, untimed: an application reading settings has it already, and
// the first ESM import warms the loader for whatever comes next (core's own time is printed apart).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startAwsSecretsManagerEmulator, startGcpSecretManagerEmulator } from '@dual-auth/testkit/emulators';
import { median, printBenchLine } from '../measure.ts';

const run = promisify(execFile);
const rounds = 7;

interface Timing {
  readonly coreImportMs?: number;
  readonly importMs: number;
  readonly firstReadMs: number;
}

const oursAws = `
const config = JSON.parse(process.env.PROBE_CONFIG);
const c0 = performance.now();
await import('@dual-auth/core');
const t0 = performance.now();
const { createAwsSecretsBackend } = await import('@dual-auth/secrets-aws');
const t1 = performance.now();
const backend = createAwsSecretsBackend({ clientConfig: { endpoint: config.endpoint, credentials: config.credentials } });
const value = await backend.getSecret('AGENT_CLIENT_ID');
const t2 = performance.now();
if (value !== 'finance-agent') throw new Error('wrong value');
await backend.close();
process.stdout.write(JSON.stringify({ coreImportMs: t0 - c0, importMs: t1 - t0, firstReadMs: t2 - t1 }));
`;

const referenceAws = `
const config = JSON.parse(process.env.PROBE_CONFIG);
await import('@dual-auth/core');
const t0 = performance.now();
const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
const t1 = performance.now();
const client = new SecretsManagerClient({ region: 'us-east-1', endpoint: config.endpoint, credentials: config.credentials, maxAttempts: 2 });
const output = await client.send(new GetSecretValueCommand({ SecretId: 'dual-auth/AGENT_CLIENT_ID' }));
const t2 = performance.now();
if (output.SecretString !== 'finance-agent') throw new Error('wrong value');
client.destroy();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstReadMs: t2 - t1 }));
`;

// A fixed-token auth client that needs no google-auth-library import of its own.
const gcpAuth = `const authClient = { getRequestHeaders: async () => new Headers({ authorization: 'Bearer ' + config.accessToken }) };`;

const oursGcp = `
const config = JSON.parse(process.env.PROBE_CONFIG);
${gcpAuth}
const c0 = performance.now();
await import('@dual-auth/core');
const t0 = performance.now();
const { createGcpSecretsBackend } = await import('@dual-auth/secrets-gcp');
const t1 = performance.now();
const backend = createGcpSecretsBackend({ project: config.project, clientOptions: { apiEndpoint: config.apiEndpoint, port: config.port, authClient } });
const value = await backend.getSecret('AGENT_CLIENT_ID');
const t2 = performance.now();
if (value !== 'finance-agent') throw new Error('wrong value');
await backend.close();
process.stdout.write(JSON.stringify({ coreImportMs: t0 - c0, importMs: t1 - t0, firstReadMs: t2 - t1 }));
`;

const referenceGcp = `
const config = JSON.parse(process.env.PROBE_CONFIG);
${gcpAuth}
await import('@dual-auth/core');
const t0 = performance.now();
const { SecretManagerServiceClient } = await import('@google-cloud/secret-manager');
const t1 = performance.now();
const client = new SecretManagerServiceClient({ apiEndpoint: config.apiEndpoint, port: config.port, authClient });
const [response] = await client.accessSecretVersion({ name: 'projects/' + config.project + '/secrets/dual-auth-agent-client-id/versions/latest' }, { retry: null });
const t2 = performance.now();
if (Buffer.from(response.payload.data).toString('utf8') !== 'finance-agent') throw new Error('wrong value');
await client.close();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstReadMs: t2 - t1 }));
`;

async function measure(packageDirectory: string, source: string, config: object): Promise<Timing> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', source], {
    cwd: packageDirectory,
    env: {
      ...process.env,
      PROBE_CONFIG: JSON.stringify(config),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      METADATA_SERVER_DETECTION: 'none',
      GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: fileURLToPath(
        new URL('../../../packages/testkit/fixtures/tls/ca.pem', import.meta.url),
      ),
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(stdout) as Timing;
}

const describe = (values: readonly number[]) =>
  `median ${median(values).toFixed(1)} ms (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`;

async function compareColdStart(
  name: string,
  backend: 'aws' | 'gcp',
  ours: string,
  reference: string,
  config: object,
) {
  const directory = fileURLToPath(new URL(`../../../packages/secrets-${backend}/`, import.meta.url));
  if (!existsSync(`${directory}dist/index.js`)) {
    throw new Error(`build @dual-auth/secrets-${backend} first (pnpm build): children load its dist`);
  }
  const oursTimes: Timing[] = [];
  const referenceTimes: Timing[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate who goes first, so drift in machine load does not favour one side.
    if (round % 2 === 0) {
      oursTimes.push(await measure(directory, ours, config));
      referenceTimes.push(await measure(directory, reference, config));
    } else {
      referenceTimes.push(await measure(directory, reference, config));
      oursTimes.push(await measure(directory, ours, config));
    }
  }
  const total = (timing: Timing) => timing.importMs + timing.firstReadMs;
  const oursTotal = median(oursTimes.map(total));
  const referenceTotal = median(referenceTimes.map(total));
  process.stdout.write(
    `${name}\n` +
      `  @dual-auth/core import (untimed below): ${describe(oursTimes.map((timing) => timing.coreImportMs ?? 0))}\n` +
      `  package import: ${describe(oursTimes.map((timing) => timing.importMs))}\n` +
      `  create + first read (SDK loaded on demand): ${describe(oursTimes.map((timing) => timing.firstReadMs))}\n` +
      `  ours, import + first read: ${describe(oursTimes.map(total))}\n` +
      `  raw SDK, import + first call: ${describe(referenceTimes.map(total))}\n`,
  );
  // Times, so the ratio is reference / ours: like the other figures, higher is better.
  const ratio = referenceTotal / oursTotal;
  printBenchLine({
    name,
    value: oursTotal,
    unit: 'ms',
    reference: `raw ${backend === 'aws' ? '@aws-sdk/client-secrets-manager' : '@google-cloud/secret-manager'} import + first call`,
    ratio,
    target: 0.9,
    met: ratio >= 0.9,
  });
}

const aws = await startAwsSecretsManagerEmulator();
const gcp = await startGcpSecretManagerEmulator();
try {
  aws.put('dual-auth/AGENT_CLIENT_ID', 'finance-agent');
  gcp.put('dual-auth-agent-client-id', 'finance-agent');
  await compareColdStart('secrets.cold-start.aws', 'aws', oursAws, referenceAws, {
    endpoint: aws.endpoint,
    credentials: aws.credentials,
  });
  await compareColdStart('secrets.cold-start.gcp', 'gcp', oursGcp, referenceGcp, {
    project: gcp.project,
    apiEndpoint: gcp.apiEndpoint,
    port: gcp.port,
    accessToken: gcp.accessToken,
  });
} finally {
  await aws.close();
  await gcp.close();
}
