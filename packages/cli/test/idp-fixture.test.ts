// dual-auth idp --fixture: the testkit's fixture loader behind the CLI. A custom agent and human are
// served (the printed JSON lists them, and doctor passes for them), an invalid file is refused.
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodes, runCli } from '../src/index.ts';
import { cli, type DoctorReport, failedChecks } from './harness.ts';

const directory = mkdtempSync(join(tmpdir(), 'dual-auth-cli-idp-'));

const fixture = {
  realm: 'payroll',
  agentRole: 'PayrollAgent',
  humanRole: 'PayrollUser',
  agents: [
    {
      clientId: 'payroll-agent',
      clientSecret: 'payroll-agent-secret-0123456789abcdef0123',
      authMethods: ['client_secret_post', 'client_secret_jwt'],
      roles: ['PayrollAgent'],
    },
  ],
  humans: [
    {
      id: 'dana',
      email: 'dana@example.com',
      name: 'Dana Delegates',
      roles: ['PayrollUser'],
      approvedAgents: ['payroll-agent'],
    },
  ],
};

interface Description {
  baseUrl: string;
  caFile: string;
  profiles: {
    vendor: string;
    issuer: string;
    tokenEndpoint: string;
    audience: string;
    scope: string[];
    clients: { clientId: string; clientSecret: string; roles: string[] }[];
    users: { id: string; email: string; roles: string[]; approvedAgents: string[] }[];
  }[];
}

/** Runs `dual-auth idp` in-process until the first output line, then hands it over; stops it after. */
async function withIdp<T>(args: string[], use: (firstOutput: string) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let stdout = '';
  let stderr = '';
  let printed: () => void = () => undefined;
  const firstOutput = new Promise<void>((resolve) => {
    printed = resolve;
  });
  const status = runCli(['idp', ...args], {
    stdout: {
      write: (text: string) => {
        stdout += text;
        if (stdout.includes('\n')) printed();
      },
    },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    signal: controller.signal,
  });
  const timeout = setTimeout(() => controller.abort(), 20_000);
  try {
    await Promise.race([firstOutput, status]);
    expect(stderr).toBe('');
    return await use(stdout);
  } finally {
    controller.abort();
    clearTimeout(timeout);
    expect(await status).toBe(exitCodes.ok);
  }
}

describe('dual-auth idp --fixture', () => {
  it('serves the custom agent and human: the JSON lists them, and doctor passes for them', async () => {
    const file = join(directory, 'fixture.json');
    writeFileSync(file, JSON.stringify(fixture));
    const caFile = join(directory, 'ca.pem');
    await withIdp(
      ['--vendor', 'keycloak', '--fixture', file, '--ca-out', caFile, '--json'],
      async (output) => {
        const description = JSON.parse(output) as Description;
        const [keycloak] = description.profiles;
        expect(keycloak?.issuer).toBe(`${description.baseUrl}/realms/payroll`);
        expect(keycloak?.clients).toEqual([
          expect.objectContaining({ clientId: 'payroll-agent', roles: ['PayrollAgent'] }),
        ]);
        expect(keycloak?.users).toEqual([
          expect.objectContaining({
            email: 'dana@example.com',
            roles: ['PayrollUser'],
            approvedAgents: ['payroll-agent'],
          }),
        ]);
        const dana = keycloak?.users[0]?.id ?? '';
        // The custom agent gets a token for the custom human, and the whole checklist passes.
        const doctor = await cli(['doctor', '--json', '--ca-file', caFile, '--human-authorized-by-idp'], {
          env: {
            DUAL_AUTH_VENDOR: 'keycloak',
            KEYCLOAK_TOKEN_URL: keycloak?.tokenEndpoint ?? '',
            AGENT_CLIENT_ID: 'payroll-agent',
            AGENT_CLIENT_SECRET: fixture.agents[0]?.clientSecret ?? '',
            API_AUDIENCE: keycloak?.audience ?? '',
            DUAL_AUTH_DOCTOR_HUMAN: dana,
          },
        });
        const report = JSON.parse(doctor.stdout) as DoctorReport;
        expect(failedChecks(report)).toEqual([]);
        expect(report.checks.find((check) => check.id === 'verifier')?.detail).toBe(
          `ALLOW: agent payroll-agent, human ${dana} authorized by the IdP (trusted, not checked here: --human-authorized-by-idp)`,
        );
      },
    );
  });

  it('writes the CA into a private directory of its own, and removes it on stop', async () => {
    const caFile = await withIdp(['--vendor', 'keycloak', '--json'], async (output) => {
      const { caFile: written } = JSON.parse(output) as Description;
      expect(dirname(dirname(written))).toBe(tmpdir());
      expect(dirname(written)).toMatch(/dual-auth-idp-[^/]+$/);
      expect(statSync(dirname(written)).mode & 0o777).toBe(0o700);
      expect(readFileSync(written, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
      return written;
    });
    expect(existsSync(dirname(caFile))).toBe(false);
  });

  it('prints the custom agent and its approving human as the settings to use', async () => {
    const file = join(directory, 'fixture-text.json');
    writeFileSync(file, JSON.stringify(fixture));
    let stdout = '';
    const controller = new AbortController();
    const status = runCli(['idp', '--vendor', 'auth0', '--http', '--fixture', file], {
      stdout: {
        write: (text: string) => {
          stdout += text;
          if (text.includes('Ctrl-C')) controller.abort();
        },
      },
      stderr: { write: () => undefined },
      env: {},
      signal: controller.signal,
    });
    const timeout = setTimeout(() => controller.abort(), 20_000);
    expect(await status).toBe(exitCodes.ok);
    clearTimeout(timeout);
    expect(stdout).toContain('AGENT_CLIENT_ID=payroll-agent');
    expect(stdout).toMatch(/test human \(approved\): \S+/);
    expect(stdout).not.toContain('finance-agent');
  });

  it('refuses an unreadable or invalid fixture file with exit 3, naming the field', async () => {
    const invalid = join(directory, 'invalid.json');
    writeFileSync(
      invalid,
      JSON.stringify({
        agents: [{ clientId: 'a', clientSecret: 'short', authMethods: ['client_secret_post'], roles: [] }],
      }),
    );
    const run = await cli(['idp', '--fixture', invalid]);
    expect(run.status).toBe(exitCodes.input);
    expect(run.stderr).toContain('agents.0.clientSecret');
    const missing = await cli(['idp', '--fixture', join(directory, 'absent.json')]);
    expect(missing.status).toBe(exitCodes.input);
    expect(missing.stderr).toContain('absent.json');
  });
});
