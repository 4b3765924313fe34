// doctor and verify against the embedded Okta profile: what they say when Okta finds no access-policy
// rule for the agent (401 access_denied "Policy evaluation failed…", no_matching_policy in Okta's
// OAuth 2.0 error catalogue, okta/okta-developer-docs data/oauth2-error-codes.json), and when a
// route asks an Okta agent for a role (Okta client-credentials tokens have no user, so no groups:
// roles come from scp; docs/guides/implement-grant-type, Client Credentials).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { beforeAll, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/exit-codes.ts';
import {
  agentEnvironment,
  agentOf,
  cli,
  type DoctorReport,
  failedChecks,
  humanPolicyEnvironment,
} from './harness.ts';

const idp = useEmbeddedIdp({ vendors: ['okta'] });
let directory: string;
let appKey: { privateKeyPath: string; appId: string };

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'dual-auth-cli-okta-'));
  expect((await cli(['keygen', '--out-dir', directory])).status).toBe(0);
  appKey = { privateKeyPath: join(directory, 'app-private.pem'), appId: 'https://app.dual-auth.test' };
});

function environment(overrides: Record<string, string> = {}) {
  const profile = idp.profile('okta');
  return agentEnvironment(profile, { ...humanPolicyEnvironment(profile, directory), ...overrides }, appKey);
}

async function doctor(env: Record<string, string>, extra: string[] = []) {
  const run = await cli(['doctor', '--json', ...extra], { env });
  return { ...run, report: JSON.parse(run.stdout) as DoctorReport };
}

describe('doctor: an Okta agent no access-policy rule matches', () => {
  it('is agent_not_approved (not wrong credentials), with the access-policy fix and the server named', async () => {
    const rogue = agentOf(idp.profile('okta'), 'rogue-agent');
    const { status, report } = await doctor(
      environment({ AGENT_CLIENT_ID: rogue.clientId, AGENT_CLIENT_SECRET: rogue.clientSecret }),
    );
    expect(status).toBe(1);
    expect(failedChecks(report)).toEqual([['token', 'agent_not_approved']]);
    const token = report.checks.find((check) => check.id === 'token');
    expect(token?.detail).toContain('Policy evaluation failed');
    expect(token?.detail).toContain('authorization server aus-dual-auth');
    expect(token?.fix).toMatch(/access policy .* rule allowing the Client Credentials grant/);
    expect(JSON.stringify(report)).not.toContain(rogue.clientSecret);
  });
});

describe('verify: an Okta agent asked for a role', () => {
  async function savedToken(): Promise<string> {
    const file = join(directory, 'okta.jwt');
    const run = await cli(['doctor', '--json', '--save-token', file], { env: environment() });
    expect(run.status, run.stdout).toBe(0);
    return file;
  }

  function humanPolicy(): string[] {
    const { DUAL_AUTH_DOCTOR_HUMANS: humans = '', DUAL_AUTH_DOCTOR_HUMAN_ROLES: role = '' } = environment();
    return ['--humans', humans, '--human-role', role];
  }

  /** verify on a token doctor saved for alice, with the API's human policy and one agent role. */
  async function verifyWithAgentRole(role: string) {
    const file = await savedToken();
    const token = readFileSync(file, 'utf8');
    const assertion = ['--act-assertion', `@${file}.act-assertion`];
    const args = ['verify', token, '--from-config', ...assertion, ...humanPolicy(), '--agent-role', role];
    return cli([...args, '--json'], { env: environment() });
  }

  it('allows a role the token has in scp', async () => {
    const run = await verifyWithAgentRole('finance.read');
    expect(run.status, run.stdout + run.stderr).toBe(exitCodes.ok);
    expect(JSON.parse(run.stdout)).toMatchObject({ allow: true });
  });

  it('explains, for a role not in scp, that Okta agents have no groups and where roles come from', async () => {
    const run = await verifyWithAgentRole('FinanceAgent');
    expect(run.status).not.toBe(exitCodes.ok);
    const result = JSON.parse(run.stdout) as { allow: boolean; code: string; hint?: string };
    expect(result).toMatchObject({ allow: false, code: 'agent_denied' });
    expect(result.hint).toMatch(/no groups: the Okta profile reads agent roles from scp/);
    expect(result.hint).toContain('Allow scope FinanceAgent in the rule');
    expect(result.hint).toContain('oktaVendorProfile({ rolesClaim');
  });
});
