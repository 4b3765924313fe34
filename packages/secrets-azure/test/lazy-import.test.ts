import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// Records every module a fresh Node process resolves while importing the package, then while
// importing the SDK itself (the control that shows the recorder sees SDK modules at all).
const recorder = `
import { registerHooks } from 'node:module';
const seen = [];
registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); seen.push(result.url); return result; } });
const sdk = (urls) => urls.filter((url) => /\\/node_modules\\/.*@azure[+/]/.test(url));
const backend = await import(process.argv[1]);
const afterPackage = sdk(seen);
const created = backend.createAzureSecretsBackend({ vaultUrl: 'https://finance-agents.vault.azure.net' });
const afterCreate = sdk(seen);
await import('@azure/keyvault-secrets');
process.stdout.write(JSON.stringify({ exports: Object.keys(backend).sort(), name: created.name, afterPackage, afterCreate, afterSdk: sdk(seen).length }));
`;

it('loads no Azure SDK module on import or construction', async () => {
  const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
  const entry = new URL('../src/index.ts', import.meta.url).href;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=dev-source', '--input-type=module', '--eval', recorder, entry],
    { cwd: packageDirectory, timeout: 15_000 },
  );
  const result = JSON.parse(stdout) as Record<string, unknown>;
  expect(result).toMatchObject({
    exports: ['createAzureSecretsBackend', 'secretsBackendDefinition'],
    name: 'azure',
    afterPackage: [],
    afterCreate: [],
  });
  expect(result.afterSdk).toBeGreaterThan(5);
});
