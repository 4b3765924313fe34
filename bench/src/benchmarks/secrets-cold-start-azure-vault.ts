// Cold start of the Azure Key Vault and HashiCorp Vault backends: a fresh Node process imports the
// package, builds a backend and reads one secret from the testkit emulator (SDK load, client
// creation, bearer challenge or token header, TLS handshake all included), against the same steps
// done with the raw SDK. Each measured run is its own child process, alternating ours and the
// reference. Children load the packages' built `dist` (run `pnpm build` first, core included).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { testTls } from '@dual-auth/testkit';
import { startAzureKeyVaultEmulator, startHashiCorpVaultEmulator } from '@dual-auth/testkit/emulators';
import { median, printBenchLine } from '../measure.ts';

const rounds = 7;

// Each probe prints {importMs, firstReadMs}; `load` is the import, `read` builds and reads once.
// Both sides load @dual-auth/core first, untimed: an application using dual-auth has it loaded
// anyway (getConfig lives there), so the figure is what choosing the backend package costs.
const probe = (load: string, read: string) => `
await import('@dual-auth/core');
const config = JSON.parse(process.env.PROBE_CONFIG);
const credential = { getToken: async () => ({ token: config.token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
const t0 = performance.now();
${load}
const t1 = performance.now();
const value = await (async () => { ${read} })();
const t2 = performance.now();
if (value !== 'finance-agent') throw new Error('wrong value');
process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstReadMs: t2 - t1 }));
process.exit(0);
`;

interface ColdStartCase {
  readonly name: string;
  readonly backend: 'azure' | 'vault';
  readonly reference: string;
  readonly ours: string;
  readonly raw: string;
}

const cases: readonly ColdStartCase[] = [
  {
    name: 'secrets.cold-start.azure',
    backend: 'azure',
    reference: 'raw @azure/keyvault-secrets import + first call',
    ours: probe(
      "const { createAzureSecretsBackend } = await import('@dual-auth/secrets-azure');",
      `return createAzureSecretsBackend({ vaultUrl: config.url, credential, ca: config.ca, disableChallengeResourceVerification: true })
        .getSecret('AGENT_CLIENT_ID');`,
    ),
    raw: probe(
      "const { SecretClient } = await import('@azure/keyvault-secrets');",
      `const client = new SecretClient(config.url, credential, { disableChallengeResourceVerification: true, tlsOptions: { ca: config.ca }, retryOptions: { maxRetries: 2 } });
       return (await client.getSecret('dual-auth-agent-client-id')).value;`,
    ),
  },
  {
    name: 'secrets.cold-start.vault',
    backend: 'vault',
    reference: 'raw node-vault import + first read',
    ours: probe(
      "const { createVaultSecretsBackend } = await import('@dual-auth/secrets-vault');",
      `return createVaultSecretsBackend({ address: config.url, authentication: { method: 'token', token: config.token }, ca: config.ca })
        .getSecret('AGENT_CLIENT_ID');`,
    ),
    raw: probe(
      "const { default: nodeVault } = await import('node-vault');",
      `const client = nodeVault({ endpoint: config.url, token: config.token, requestOptions: { ca: config.ca } });
       return (await client.read('secret/data/dual-auth/agent-client-id')).data.data.value;`,
    ),
  },
];

interface Timing {
  readonly importMs: number;
  readonly firstReadMs: number;
}

async function runProbe(directory: string, source: string, config: object): Promise<Timing> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', source], {
    cwd: directory,
    env: { ...process.env, PROBE_CONFIG: JSON.stringify(config) },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(stdout) as Timing;
}

const summary = (values: readonly number[]) =>
  `median ${median(values).toFixed(1)} ms (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`;

async function measureCase(coldStart: ColdStartCase, config: object): Promise<void> {
  const directory = fileURLToPath(
    new URL(`../../../packages/secrets-${coldStart.backend}/`, import.meta.url),
  );
  if (!existsSync(`${directory}dist/index.js`))
    throw new Error(
      `build @dual-auth/secrets-${coldStart.backend} first (pnpm build): children load its dist`,
    );
  const ours: Timing[] = [];
  const raw: Timing[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate who goes first, so drift in machine load favours neither side.
    const order = round % 2 === 0 ? [ours, raw] : [raw, ours];
    for (const timings of order)
      timings.push(await runProbe(directory, timings === ours ? coldStart.ours : coldStart.raw, config));
  }
  const total = (timing: Timing) => timing.importMs + timing.firstReadMs;
  process.stdout.write(
    `${coldStart.name}\n` +
      `  package import: ${summary(ours.map((timing) => timing.importMs))}\n` +
      `  create + first read (SDK loaded on demand): ${summary(ours.map((timing) => timing.firstReadMs))}\n` +
      `  ours, import + first read: ${summary(ours.map(total))}\n` +
      `  raw SDK, import + first call: ${summary(raw.map(total))}\n`,
  );
  // Times, so the ratio is reference / ours: like the other figures, higher is better.
  const ratio = median(raw.map(total)) / median(ours.map(total));
  printBenchLine({
    name: coldStart.name,
    value: median(ours.map(total)),
    unit: 'ms',
    reference: coldStart.reference,
    ratio,
    target: 0.9,
    met: ratio >= 0.9,
  });
}

const azure = await startAzureKeyVaultEmulator();
const vault = await startHashiCorpVaultEmulator();
try {
  azure.put('dual-auth-agent-client-id', 'finance-agent');
  vault.put('dual-auth/agent-client-id', 'finance-agent');
  const ca = testTls().ca;
  const [azureCase, vaultCase] = cases as [ColdStartCase, ColdStartCase];
  await measureCase(azureCase, { url: azure.vaultUrl, token: azure.issueAccessToken().token, ca });
  await measureCase(vaultCase, { url: vault.address, token: vault.rootToken, ca });
} finally {
  await azure.close();
  await vault.close();
}
