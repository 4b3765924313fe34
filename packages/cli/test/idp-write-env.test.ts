// dual-auth idp --write-env: the .env it writes for one vendor passes "doctor --dotenv" against
// that running IdP, for every vendor (hybrid ones with the app key and humans map written beside
// it), as two child processes, the way the README walkthrough runs them.
import { once } from 'node:events';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import type { Vendor } from '@dual-auth/core';
import { readFirstLine } from '@dual-auth/testkit';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.ts';
import { cli } from './harness.ts';
import { runCliProcess, startCli } from './process-harness.ts';

const vendors: readonly Vendor[] = ['keycloak', 'auth0', 'okta', 'entraid'];

async function withIdp<T>(
  args: string[],
  use: (description: { envFile: string; envCaFile: string }) => Promise<T>,
): Promise<T> {
  const child = startCli(['idp', '--json', ...args]);
  child.stdin.end();
  try {
    return await use(JSON.parse(await readFirstLine(child)));
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

describe('dual-auth idp --write-env', () => {
  it.each(vendors)('%s: doctor --dotenv passes with the written file (exit 0, Setup OK)', async (vendor) => {
    const directory = mkdtempSync(join(tmpdir(), `dual-auth-cli-env-${vendor}-`));
    const envFile = join(directory, '.env');
    await withIdp(['--vendor', vendor, '--write-env', envFile], async (description) => {
      expect(description.envFile).toBe(envFile);
      const settings = parseEnv(readFileSync(envFile, 'utf8'));
      for (const file of [envFile, description.envCaFile]) expect(statSync(file).mode & 0o777).toBe(0o600);
      if (vendor === 'okta' || vendor === 'entraid') {
        expect(settings).toMatchObject({
          APP_ID: expect.any(String),
          DUAL_AUTH_DOCTOR_HUMAN_ROLES: 'FinanceUser',
        });
        for (const setting of ['APP_PRIVATE_KEY_PATH', 'DUAL_AUTH_DOCTOR_HUMANS'] as const)
          expect(statSync(settings[setting] ?? '').mode & 0o777).toBe(0o600);
      } else expect(settings.DUAL_AUTH_DOCTOR_HUMAN_AUTHORIZED_BY_IDP).toBe('true');
      if (vendor === 'entraid') {
        // Entra v2 tokens carry the API app's client id in aud, not the Application ID URI of the
        // scope (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
        expect(settings.API_AUDIENCE).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        );
        expect(settings.API_SCOPE).toBe('https://api.dual-auth.test/finance/.default');
        expect(readFileSync(envFile, 'utf8')).toContain(
          "# API_AUDIENCE is the API app's Application (client) ID",
        );
      }
      const run = await runCliProcess(['doctor', '--dotenv', envFile], {
        NODE_EXTRA_CA_CERTS: description.envCaFile,
      });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Setup OK \(\d+ passed, 0 warnings, 0 failed/);
      expect(run.stdout).toMatch(/the verifier allows it \(as the API would\): ALLOW/);
    });
  });

  it('configures the agent asked for, and replaces only a file it wrote itself', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'dual-auth-cli-env-agent-'));
    const envFile = join(directory, '.env');
    await withIdp(
      ['--vendor', 'keycloak', '--write-env', envFile, '--agent', 'rogue-agent'],
      async (description) => {
        expect(parseEnv(readFileSync(envFile, 'utf8')).AGENT_CLIENT_ID).toBe('rogue-agent');
        // Nobody approved the rogue agent (nor gave it the agent role): doctor names the refusal, at the
        // token endpoint or (Keycloak's script mapper) as the token's dual_auth_refusal.
        const run = await runCliProcess(['doctor', '--dotenv', envFile, '--json'], {
          NODE_EXTRA_CA_CERTS: description.envCaFile,
        });
        expect(run.code).toBe(1);
        expect(run.stdout).toMatch(/"fault": "(agent_not_approved|human_not_approved)"/);
      },
    );
    const own = join(directory, 'own.env');
    writeFileSync(own, 'AGENT_CLIENT_SECRET=mine\n');
    const refused = await runCliProcess(['idp', '--vendor', 'keycloak', '--write-env', own]);
    expect(refused.code).toBe(exitCodes.input);
    expect(refused.stderr).toContain('refusing to overwrite');
    expect(readFileSync(own, 'utf8')).toBe('AGENT_CLIENT_SECRET=mine\n');
  });

  it('prints how to check the file from a checkout (npm run cli), where dual-auth is not on PATH', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'dual-auth-cli-env-hint-'));
    const envFile = join(directory, '.env');
    const child = startCli(['idp', '--vendor', 'keycloak', '--write-env', envFile], { NO_COLOR: '1' });
    child.stdin.end();
    let stdout = '';
    try {
      for await (const chunk of child.stdout) {
        stdout += String(chunk);
        if (stdout.includes('Ctrl-C stops it.')) break;
      }
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    const caFile = join(directory, 'dual-auth-keycloak-ca.pem');
    expect(stdout).toContain(
      `check it from a checkout: NODE_EXTRA_CA_CERTS=${caFile} npm run cli -- doctor --dotenv ${envFile}`,
    );
    expect(stdout).toContain(
      `with @dual-auth/cli installed: NODE_EXTRA_CA_CERTS=${caFile} npx dual-auth doctor --dotenv ${envFile}`,
    );
  });

  it('refuses --write-env for several vendors and --agent without it (exit 2)', async () => {
    expect((await cli(['idp', '--write-env', 'x.env'])).status).toBe(exitCodes.usage);
    expect((await cli(['idp', '--vendor', 'okta', '--agent', 'finance-agent'])).status).toBe(exitCodes.usage);
  });
});
