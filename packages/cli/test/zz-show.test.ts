import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedIdp, trustTestCa } from '@dual-auth/testkit';
import { it } from 'vitest';
import { agentEnvironment, cli, humanOf, humanPolicyEnvironment } from './harness.ts';

it('shows', async () => {
  const idp = await startEmbeddedIdp();
  const untrust = trustTestCa();
  const directory = mkdtempSync(join(tmpdir(), 'show-'));
  await cli(['keygen', '--out-dir', directory]);
  const appKey = { privateKeyPath: join(directory, 'app-private.pem'), appId: 'https://app.dual-auth.test' };
  const okta = idp.profile('okta');
  const bob = humanOf(okta, 'bob');
  let r = await cli(['doctor', '--human', bob], { env: agentEnvironment(okta, {}, appKey) });
  console.log(r.stdout, r.status);
  r = await cli(['doctor', '--human', bob], {
    env: agentEnvironment(okta, humanPolicyEnvironment(okta, directory), appKey),
  });
  console.log(r.stdout, r.status);
  r = await cli(['doctor'], {
    env: agentEnvironment(idp.profile('keycloak'), { DUAL_AUTH_DOCTOR_HUMAN: '' }),
  });
  console.log(r.stdout, r.status);
  untrust();
  await idp.close();
});
