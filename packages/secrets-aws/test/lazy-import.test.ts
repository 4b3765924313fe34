import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// A fresh Node process records every module it resolves: importing the package and creating a
// backend must not load the AWS SDK; the first read must (the check's positive control).
const probe = `
import { registerHooks } from 'node:module';
const resolved = [];
registerHooks({ resolve(specifier, context, next) { resolved.push(specifier); return next(specifier, context); } });
const sdkLoaded = () => resolved.some((specifier) => specifier.startsWith('@aws-sdk/'));
const { createAwsSecretsBackend } = await import('@dual-auth/secrets-aws');
const afterImport = sdkLoaded();
const backend = createAwsSecretsBackend({
  clientConfig: { endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'AKIAPROBE', secretAccessKey: 'probe' }, maxAttempts: 1 },
});
const afterCreate = sdkLoaded();
await backend.getSecret('AGENT_CLIENT_ID').catch((error) => error.code);
process.stdout.write(JSON.stringify({ afterImport, afterCreate, afterRead: sdkLoaded() }));
`;

it('loads the AWS SDK on the first read, not on import or creation', () => {
  const output = execFileSync(
    process.execPath,
    ['--conditions=dev-source', '--input-type=module', '-e', probe],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: {
        ...process.env,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
      encoding: 'utf8',
      timeout: 15_000,
    },
  );
  expect(JSON.parse(output)).toEqual({ afterImport: false, afterCreate: false, afterRead: true });
});
