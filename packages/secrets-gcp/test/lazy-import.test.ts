import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// A fresh Node process records every module it resolves: importing the package and creating a
// backend must not load the Google Cloud SDK; the first read must (the check's positive control).
const probe = `
import { registerHooks } from 'node:module';
const resolved = [];
registerHooks({ resolve(specifier, context, next) { resolved.push(specifier); return next(specifier, context); } });
const sdkLoaded = (names) => resolved.some((specifier) => names.some((name) => specifier.startsWith(name)));
const sdk = ['@google-cloud/', 'google-gax'];
const { createGcpSecretsBackend } = await import('@dual-auth/secrets-gcp');
const afterImport = sdkLoaded(sdk);
createGcpSecretsBackend({ project: 'probe-project' });
const afterCreate = sdkLoaded(sdk);
// A fixed token, so no credential discovery can reach for the network.
const { googleAuthLibrary } = await import('google-gax');
const authClient = new googleAuthLibrary.OAuth2Client();
authClient.setCredentials({ access_token: 'probe', expiry_date: Date.now() + 60000 });
const backend = createGcpSecretsBackend({ project: 'probe-project', timeoutMs: 2000,
  clientOptions: { apiEndpoint: 'localhost', port: 9, authClient } });
await backend.getSecret('AGENT_CLIENT_ID').catch(() => undefined);
await backend.close();
const afterRead = sdkLoaded(['@google-cloud/secret-manager']);
process.stdout.write(JSON.stringify({ afterImport, afterCreate, afterRead }));
`;

it('loads the Google Cloud SDK on the first read, not on import or creation', () => {
  const output = execFileSync(
    process.execPath,
    ['--conditions=dev-source', '--input-type=module', '-e', probe],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, METADATA_SERVER_DETECTION: 'none' },
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
  expect(JSON.parse(output)).toEqual({ afterImport: false, afterCreate: false, afterRead: true });
});
