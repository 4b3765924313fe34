// The real command in a child process: exit codes, --json on stdout, the IdP's CA trusted through
// NODE_EXTRA_CA_CERTS as a user would, and the idp command's lifecycle. Runs the TypeScript entry
// with Node's type stripping (dev-source condition); the built bin shim too when dist exists.
import { once } from 'node:events';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFirstLine } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { beforeAll, describe, expect, it } from 'vitest';
import { agentEnvironment, type DoctorReport, failedChecks } from './harness.ts';
import { packageDirectory, runCliProcess, sourceEntry, startCli } from './process-harness.ts';

const binShim = join(packageDirectory, 'bin/dual-auth.js');
const built = existsSync(join(packageDirectory, 'dist/main.js'));

const idp = useEmbeddedIdp({ vendors: ['keycloak'] });
let caFile: string;

beforeAll(async () => {
  caFile = join(mkdtempSync(join(tmpdir(), 'dual-auth-cli-ca-')), 'ca.pem');
  writeFileSync(caFile, idp.ca ?? '');
});

function start(args: string[], env: Record<string, string> = {}, entry = sourceEntry) {
  return startCli(args, { NODE_EXTRA_CA_CERTS: caFile, ...env }, entry);
}

function runProcess(args: string[], env: Record<string, string> = {}, input?: string, entry = sourceEntry) {
  return runCliProcess(args, { NODE_EXTRA_CA_CERTS: caFile, ...env }, input, entry);
}

describe('dual-auth as a process', () => {
  it('prints help (exit 0), and refuses an unknown command or option (exit 2)', async () => {
    const help = await runProcess(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['keygen', 'inspect', 'verify', 'doctor', 'idp'])
      expect(help.stdout).toContain(command);
    const doctorHelp = await runProcess(['doctor', '--help']);
    expect([doctorHelp.code, doctorHelp.stdout]).toEqual([0, expect.stringContaining('Exit codes')]);
    expect((await runProcess(['frobnicate'])).code).toBe(2);
    const badOption = await runProcess(['inspect', '--frobnicate']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain('--frobnicate');
  });

  it('doctor --json passes for a correct setup (exit 0) and names a wrong secret (exit 1)', async () => {
    const profile = idp.profile('keycloak');
    const good = await runProcess(['doctor', '--json'], agentEnvironment(profile));
    expect(good.code, good.stderr).toBe(0);
    expect((JSON.parse(good.stdout) as DoctorReport).ok).toBe(true);
    const wrong = await runProcess(
      ['doctor', '--json'],
      agentEnvironment(profile, { AGENT_CLIENT_SECRET: 'wrong-0123456789' }),
    );
    expect(wrong.code).toBe(1);
    expect(failedChecks(JSON.parse(wrong.stdout) as DoctorReport)).toEqual([['token', 'wrong_credentials']]);
  });

  it('doctor reads a --dotenv file (a missing one is exit 3, not the error of the node --env-file flag), and inspect reads a token from stdin', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'dual-auth-cli-env-'));
    const envFile = join(directory, '.env');
    const env = agentEnvironment(idp.profile('keycloak'));
    writeFileSync(
      envFile,
      Object.entries(env)
        .map(([key, value]) => `${key}=${value}`)
        .join('\n'),
    );
    const run = await runProcess(['doctor', '--dotenv', envFile]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('Setup OK');
    const missing = await runProcess(['doctor', '--dotenv', join(directory, 'missing.env')]);
    expect(missing.code).toBe(3);
    const inspect = await runProcess(['inspect', '-', '--json'], {}, 'e30.eyJzdWIiOiJ4In0.\n');
    expect(inspect.code).toBe(0);
    expect(JSON.parse(inspect.stdout)).toMatchObject({ verified: false, claims: { sub: 'x' } });
  });

  it('idp starts the embedded IdP, prints one JSON line, serves tokens, and stops on SIGTERM with exit 0', async () => {
    const child = start([
      'idp',
      '--vendor',
      'keycloak',
      '--json',
      '--ca-out',
      join(tmpdir(), `cli-idp-ca-${process.pid}.pem`),
    ]);
    child.stdin.end();
    const description = JSON.parse(await readFirstLine(child)) as {
      baseUrl: string;
      caFile: string;
      profiles: {
        vendor: string;
        tokenEndpoint: string;
        clients: { clientId: string; clientSecret: string }[];
      }[];
    };
    expect(description.profiles.map((profile) => profile.vendor)).toEqual(['keycloak']);
    const [keycloak] = description.profiles;
    const agent = keycloak?.clients.find((client) => client.clientId === 'finance-agent');
    const response = await fetch(keycloak?.tokenEndpoint ?? '', {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'finance-agent',
        client_secret: agent?.clientSecret ?? '',
      }),
    });
    expect(response.status).toBe(200);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('verify names the CA fix for a TLS trust failure, not --jwks-uri', async () => {
    const profile = idp.profile('keycloak');
    const args = [
      'verify',
      'e30.e30.x',
      '--vendor',
      'keycloak',
      '--issuer',
      profile.issuer,
      '--audience',
      'x',
    ];
    const untrusted = await runProcess(args, { NODE_EXTRA_CA_CERTS: '' });
    expect(untrusted.code).toBe(5);
    expect(untrusted.stderr).toContain('TLS failed');
    expect(untrusted.stderr).toContain('--ca-file FILE or NODE_EXTRA_CA_CERTS=FILE');
    expect(untrusted.stderr).not.toContain('--jwks-uri');
    // With the CA the discovery succeeds: the token is then refused on its own merits (exit 4).
    const trusted = await runProcess([...args, '--ca-file', caFile, '--human-authorized-by-idp'], {
      NODE_EXTRA_CA_CERTS: '',
    });
    expect(trusted.code, trusted.stderr).toBe(4);
  });

  it('the committed bin shim runs the built command', async (context) => {
    if (!built) return context.skip('packages/cli/dist is not built (npm test builds it before the tests)');
    const run = await runProcess(['--version'], {}, undefined, binShim);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
