// doctor against the embedded IdP over HTTPS: a correct setup passes for every vendor, and each
// deliberately broken setup is named by its fault, with a fix, and exit code 1.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Vendor } from '@dual-auth/core';
import { type EmbeddedIdp, startEmbeddedIdp, trustTestCa } from '@dual-auth/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentEnvironment, agentOf, cli, type DoctorReport, failedChecks, humanOf } from './harness.ts';

let idp: EmbeddedIdp;
let untrust: () => void;
let appKey: { privateKeyPath: string; appId: string };
const vendors: readonly Vendor[] = ['keycloak', 'auth0', 'okta', 'entraid'];

beforeAll(async () => {
  idp = await startEmbeddedIdp();
  untrust = trustTestCa();
  const directory = mkdtempSync(join(tmpdir(), 'dual-auth-cli-doctor-'));
  expect((await cli(['keygen', '--out-dir', directory])).status).toBe(0);
  appKey = { privateKeyPath: join(directory, 'app-private.pem'), appId: 'https://app.dual-auth.test' };
});

afterAll(async () => {
  untrust();
  await idp.close();
});

async function doctor(env: Record<string, string>, extra: string[] = []) {
  const run = await cli(['doctor', '--json', ...extra], { env });
  return { ...run, report: JSON.parse(run.stdout) as DoctorReport };
}

function withKey(vendor: Vendor) {
  return vendor === 'okta' || vendor === 'entraid' ? appKey : undefined;
}

describe('dual-auth doctor: a correct setup', () => {
  it.each(vendors)('%s passes every check and exits 0', async (vendor) => {
    const profile = idp.profile(vendor);
    const env = agentEnvironment(profile, {}, withKey(vendor));
    const { status, report, stdout } = await doctor(env);
    expect(failedChecks(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(status).toBe(0);
    expect(report.checks.map((check) => check.id)).toEqual(
      expect.arrayContaining([
        'config',
        'discovery',
        'jwks',
        'adapter',
        'token',
        'signature',
        'audience',
        'human',
        'verifier',
      ]),
    );
    expect(report.checks.find((check) => check.id === 'verifier')?.status).toBe('pass');
    // The agent's secret is read, used and never printed.
    expect(stdout).not.toContain(agentOf(profile).clientSecret);
  });

  it('prints a readable checklist without --json, with no colour when not on a terminal', async () => {
    const profile = idp.profile('keycloak');
    const run = await cli(['doctor'], { env: agentEnvironment(profile) });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('✔ the human is in the token (agbac mode)');
    expect(run.stdout).toMatch(/Setup OK \(10 passed/);
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('skips the token checks, and says how, without a test human', async () => {
    const env = agentEnvironment(idp.profile('keycloak'));
    delete env.DUAL_AUTH_DOCTOR_HUMAN;
    const { status, report } = await doctor(env);
    expect(status).toBe(0);
    expect(report.checks.find((check) => check.id === 'token')).toMatchObject({
      status: 'skip',
      fix: expect.stringContaining('--human'),
    });
  });
});

describe('dual-auth doctor: broken setups are named', () => {
  it.each([
    ['keycloak', 'wrong_credentials'],
    ['auth0', 'wrong_credentials'],
    ['okta', 'wrong_credentials'],
    ['entraid', 'wrong_credentials'],
  ] as const)('%s with a wrong secret: %s', async (vendor, fault) => {
    const env = agentEnvironment(
      idp.profile(vendor),
      { AGENT_CLIENT_SECRET: 'not-the-secret-0123456789' },
      withKey(vendor),
    );
    const { status, report } = await doctor(env);
    expect(status).toBe(1);
    expect(failedChecks(report)).toEqual([['token', fault]]);
    expect(report.checks.find((check) => check.id === 'token')?.fix).toContain('AGENT_CLIENT_SECRET');
  });

  it.each(vendors)('%s with an agent that is not pre-approved (no agent role)', async (vendor) => {
    const profile = idp.profile(vendor);
    const rogue = agentOf(profile, 'rogue-agent');
    const env = agentEnvironment(
      profile,
      { AGENT_CLIENT_ID: rogue.clientId, AGENT_CLIENT_SECRET: rogue.clientSecret },
      withKey(vendor),
    );
    const { status, report } = await doctor(env);
    expect(status).toBe(1);
    expect(failedChecks(report)).toEqual([['token', 'agent_not_approved']]);
  });

  it.each([
    ['keycloak', 'carol'],
    ['keycloak', 'bob'],
    ['auth0', 'carol'],
    ['auth0', 'bob'],
  ] as const)('%s with a human who is not pre-approved (%s)', async (vendor, name) => {
    const profile = idp.profile(vendor);
    const { status, report } = await doctor(agentEnvironment(profile), ['--human', humanOf(profile, name)]);
    expect(status).toBe(1);
    expect(failedChecks(report)).toEqual([['token', 'human_not_approved']]);
  });

  it('keycloak with a wrong audience: the token is issued for another API', async () => {
    const env = agentEnvironment(idp.profile('keycloak'), {
      API_AUDIENCE: 'https://api.dual-auth.test/payroll',
    });
    const { status, report } = await doctor(env);
    expect(status).toBe(1);
    expect(failedChecks(report)).toEqual([['audience', 'wrong_audience']]);
    expect(report.checks.find((check) => check.id === 'audience')?.fix).toContain('Audience mapper');
  });

  it.each(['auth0', 'okta', 'entraid'] as const)('%s with a wrong audience', async (vendor) => {
    const profile = idp.profile(vendor);
    const overrides: Record<string, string> =
      vendor === 'entraid'
        ? { API_AUDIENCE: 'api://payroll', API_SCOPE: 'api://payroll/.default' }
        : { API_AUDIENCE: 'https://api.dual-auth.test/payroll' };
    const { status, report } = await doctor(agentEnvironment(profile, overrides, withKey(vendor)));
    expect(status).toBe(1);
    expect(failedChecks(report)).toContainEqual([expect.any(String), 'wrong_audience']);
  });

  it('an unknown setting value names the setting (configuration does not load)', async () => {
    const env = agentEnvironment(idp.profile('keycloak'), {
      KEYCLOAK_TOKEN_URL: 'http://sso.example.com/token',
    });
    const { status, report } = await doctor(env);
    expect(status).toBe(1);
    expect(failedChecks(report)).toEqual([['config', 'config_invalid']]);
    expect(report.checks[0]?.fix).toContain('KEYCLOAK_TOKEN_URL');
  });

  it('hybrid mode without the application key names APP_PRIVATE_KEY_PATH', async () => {
    const { status, report } = await doctor(agentEnvironment(idp.profile('okta')));
    expect(status).toBe(1);
    expect(failedChecks(report)).toEqual([['app-key', 'app_key']]);
  });

  it('an unreachable IdP is reported at discovery', async () => {
    const env = agentEnvironment(idp.profile('keycloak'), {
      KEYCLOAK_TOKEN_URL: 'https://127.0.0.1:9/realms/x/protocol/openid-connect/token',
    });
    const { status, report } = await doctor(env);
    expect(status).toBe(1);
    expect(failedChecks(report)).toEqual([['discovery', 'url_unreachable']]);
  });
});

describe('dual-auth doctor: IdP-side configuration missing', () => {
  let broken: EmbeddedIdp;

  beforeAll(async () => {
    broken = await startEmbeddedIdp({
      vendors: ['keycloak', 'auth0'],
      keycloakActMapper: false,
      auth0Action: () => undefined,
    });
  });

  afterAll(async () => {
    await broken.close();
  });

  it('keycloak without the act mapper: the token lacks act', async () => {
    const { status, report } = await doctor(agentEnvironment(broken.profile('keycloak')));
    expect(status).toBe(1);
    expect(failedChecks(report)).toEqual([['human', 'act_mapper_missing']]);
    const check = report.checks.find((candidate) => candidate.id === 'human');
    expect(check?.detail).toContain('no act claim');
    expect(check?.fix).toContain('--features=scripts');
  });

  it('auth0 without the credentials-exchange Action: no namespaced claim', async () => {
    const { status, report } = await doctor(agentEnvironment(broken.profile('auth0')));
    expect(status).toBe(1);
    expect(failedChecks(report)).toEqual([['human', 'auth0_action_missing']]);
    expect(report.checks.find((candidate) => candidate.id === 'human')?.detail).toContain(
      'https://dual-auth.dev/act',
    );
  });
});
