import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// A fresh Node process records every module it resolves while importing the package and building
// a backend, then while importing node-vault (the control: the recorder does see it).
const recorder = `
import { registerHooks } from 'node:module';
const seen = [];
registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); seen.push(result.url); return result; } });
const client = (urls) => urls.filter((url) => /\\/node_modules\\/.*(node-vault|axios)/.test(url));
const backend = await import(process.argv[1]);
const afterPackage = client(seen);
const created = backend.createVaultSecretsBackend({
  address: 'https://vault.example.com:8200',
  authentication: { method: 'approle', roleId: 'role', secretId: 'secret' },
});
const afterCreate = client(seen);
await import('node-vault');
process.stdout.write(JSON.stringify({ name: created.name, afterPackage, afterCreate, afterClient: client(seen).length }));
`;

it('loads neither node-vault nor axios on import or construction', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--conditions=dev-source',
      '--input-type=module',
      '--eval',
      recorder,
      new URL('../src/index.ts', import.meta.url).href,
    ],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), timeout: 15_000 },
  );
  const result = JSON.parse(stdout) as Record<string, unknown>;
  expect(result).toMatchObject({ name: 'vault', afterPackage: [], afterCreate: [] });
  expect(result.afterClient).toBeGreaterThan(1);
});
