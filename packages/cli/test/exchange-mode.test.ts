// The CLI in exchange mode (DUAL_AUTH_MODE=exchange, RFC 8693) against the embedded IdP's Keycloak
// profile, whose standard token exchange is calibrated against the real Keycloak 26.7.3: doctor
// says what the exchange needs and what it cannot check without a human's token, and with one
// (--subject-token-file) runs the exchange and the rfc8693 verifier; inspect recognises the
// exchanged token (no act: Keycloak's jti grant mark); verify allows it in the rfc8693 layout. The
// subject token is never printed.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keycloakExchangeWebClients, requestKeycloakHumanToken } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { beforeAll, describe, expect, it } from 'vitest';
import { agentEnvironment, cli, type DoctorReport, failedChecks, humanOf } from './harness.ts';

const idp = useEmbeddedIdp({ vendors: ['keycloak'], webClients: keycloakExchangeWebClients() });
let directory: string;
const subjectTokens: string[] = [];

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'dual-auth-cli-exchange-'));
});

/** Alice's access token from a web application (0: its aud names the agent; 1: it does not), in a file. */
async function subjectTokenFile(webClient = 0, name: 'alice' | 'bob' = 'alice'): Promise<string> {
  const token = await requestKeycloakHumanToken(idp.profile('keycloak').tokenEndpoint, name, webClient);
  subjectTokens.push(token);
  const file = join(directory, `subject-${name}-${webClient}.jwt`);
  writeFileSync(file, token, { mode: 0o600 });
  return file;
}

const exchangeEnvironment = () => agentEnvironment(idp.profile('keycloak'), { DUAL_AUTH_MODE: 'exchange' });

async function doctor(extra: string[] = [], env = exchangeEnvironment()) {
  const run = await cli(['doctor', '--json', ...extra], { env });
  return { ...run, report: JSON.parse(run.stdout) as DoctorReport };
}

const check = (report: DoctorReport, id: string) => report.checks.filter((line) => line.id === id);

/** No subject token, nor its payload or signature, in anything the CLI wrote. */
function expectNoSubjectToken(...outputs: string[]) {
  const parts = subjectTokens.flatMap((token) => token.split('.').slice(1));
  expect(parts.filter((part) => outputs.some((output) => output.includes(part)))).toEqual([]);
}

describe('dual-auth doctor, DUAL_AUTH_MODE=exchange', () => {
  it('without a subject token: says what the exchange needs, what it cannot check, and fails the token step as not checked', async () => {
    const { status, report } = await doctor();
    expect(status).toBe(1);
    expect(check(report, 'adapter')[0]).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/^exchange mode/),
    });
    const [exchange] = check(report, 'exchange');
    expect(exchange?.status).toBe('warn');
    expect(exchange?.detail).toContain('standard.token.exchange.enabled');
    expect(exchange?.detail).toContain(
      'not the exchange permission, the exchange, the exchanged token or the verifier',
    );
    expect(failedChecks(report)).toEqual([['token', 'no_subject_token']]);
    const text = await cli(['doctor'], { env: exchangeEnvironment() });
    expect(text.stdout).toContain('Setup not fully checked');
    expect(text.stdout).toContain('--subject-token-file');
  });

  it('with alice’s token for the agent: the exchange, the human in the exchanged token and the rfc8693 verifier pass', async () => {
    const file = await subjectTokenFile();
    const saved = join(directory, 'exchanged.jwt');
    const { status, report, stdout, stderr } = await doctor([
      '--subject-token-file',
      file,
      '--save-token',
      saved,
    ]);
    expect(failedChecks(report)).toEqual([]);
    expect(status).toBe(0);
    expect(check(report, 'exchange')[0]).toMatchObject({ status: 'pass' });
    expect(check(report, 'human').find((line) => line.status !== 'skip')).toMatchObject({
      status: 'pass',
      title: 'the human is in the exchanged token (exchange mode)',
    });
    expect(check(report, 'verifier')[0]?.detail).toMatch(/^ALLOW: agent finance-agent, human /);
    expectNoSubjectToken(stdout, stderr);

    // inspect: the exchanged token in Keycloak's act-less form, the human in sub, the agent in azp.
    const inspected = await cli(['inspect', '--json', readFileSync(saved, 'utf8')]);
    expect(inspected.status).toBe(0);
    const description = JSON.parse(inspected.stdout) as Record<string, unknown>;
    expect(description).toMatchObject({
      layout: 'rfc8693',
      vendor: 'keycloak',
      agent: { id: 'finance-agent' },
      human: { sub: humanOf(idp.profile('keycloak'), 'alice'), claim: 'sub' },
      chain: ['finance-agent'],
      roles: [],
    });
    expect(String(description.layoutReason)).toContain('jti grant mark te');
    const shown = await cli(['inspect', readFileSync(saved, 'utf8')]);
    expect(shown.stdout).toContain('Actor chain');

    // verify: the same token allowed in the rfc8693 layout (from the configuration: exchange mode).
    const verified = await cli(
      [
        'verify',
        '--from-config',
        '--human-authorized-by-idp',
        '--max-chain-depth',
        '2',
        readFileSync(saved, 'utf8'),
      ],
      { env: exchangeEnvironment() },
    );
    expect(verified.stdout).toContain('ALLOW');
    expect(verified.stdout).toContain('chain       finance-agent');
    expect(verified.status).toBe(0);
  });

  it.each([
    ['whose aud does not name the agent', 1, 'alice', /its aud does not name finance-agent/],
    ['of another human than --human', 0, 'bob', /names another human than --human/],
  ] as const)(
    'refuses a subject token %s (subject_token_invalid), never printing it',
    async (_n, web, name, detail) => {
      const file = await subjectTokenFile(web, name);
      const { status, report, stdout } = await doctor(['--subject-token-file', file]);
      expect(status).toBe(1);
      expect(check(report, 'exchange')[0]).toMatchObject({ status: 'fail', fault: 'subject_token_invalid' });
      expect(check(report, 'exchange')[0]?.detail).toMatch(detail);
      expectNoSubjectToken(stdout);
    },
  );

  it('names an unreadable subject token file by its path, not its content', async () => {
    const { report } = await doctor(['--subject-token-file', join(directory, 'missing.jwt')]);
    expect(check(report, 'exchange')[0]).toMatchObject({
      status: 'fail',
      fault: 'config_invalid',
      detail: expect.stringContaining('ENOENT'),
    });
  });
});

describe('dual-auth inspect and verify on the human’s own token', () => {
  it('reads it as a plain token (no exchange mark) and the rfc8693 verifier denies it', async () => {
    const file = await subjectTokenFile();
    const inspected = JSON.parse(
      (await cli(['inspect', '--json', readFileSync(file, 'utf8')])).stdout,
    ) as Record<string, unknown>;
    expect(inspected.layout).toBe('hybrid');
    const profile = idp.profile('keycloak');
    const verified = await cli([
      'verify',
      '--vendor',
      'keycloak',
      '--issuer',
      profile.issuer,
      '--audience',
      'finance-agent',
      '--layout',
      'rfc8693',
      '--human-authorized-by-idp',
      readFileSync(file, 'utf8'),
    ]);
    expect(verified.stdout).toContain('DENY token_invalid');
    expect(verified.stdout).toContain('no act claim (no acting agent)');
  });

  it('refuses a --max-chain-depth that is not a whole number', async () => {
    const run = await cli([
      'verify',
      '--vendor',
      'keycloak',
      '--issuer',
      'https://x',
      '--audience',
      'a',
      '--max-chain-depth',
      '0',
      'a.b.c',
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--max-chain-depth must be a whole number');
  });
});
