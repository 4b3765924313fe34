// doctor against the embedded IdP over HTTPS: a correct setup passes for every vendor, and each
// deliberately broken setup is named by its fault, with a fix, and exit code 1.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Vendor } from '@dual-auth/core';
import { defaultIdpFixture, type EmbeddedIdp, startEmbeddedIdp } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentEnvironment,
  agentOf,
  cli,
  type DoctorReport,
  failedChecks,
  humanOf,
  humanPolicyEnvironment,
} from './harness.ts';

const idp = useEmbeddedIdp();
let appKey: { privateKeyPath: string; appId: string };
let directory: string;
const vendors: readonly Vendor[] = ['keycloak', 'auth0', 'okta', 'entraid'];

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'dual-auth-cli-doctor-'));
  expect((await cli(['keygen', '--out-dir', directory])).status).toBe(0);
  appKey = { privateKeyPath: join(directory, 'app-private.pem'), appId: 'https://app.dual-auth.test' };
});

async function doctor(env: Record<string, string>, extra: string[] = []) {
  const run = await cli(['doctor', '--json', ...extra], { env });
  return { ...run, report: JSON.parse(run.stdout) as DoctorReport };
}

function hybrid(vendor: Vendor): boolean {
  return vendor === 'okta' || vendor === 'entraid';
}

function withKey(vendor: Vendor) {
  return hybrid(vendor) ? appKey : undefined;
}

/** A correct agent environment; hybrid vendors get the app key and the API's human policy. */
function environment(vendor: Vendor, overrides: Record<string, string> = {}) {
  const profile = idp.profile(vendor);
  const policy = hybrid(vendor) ? humanPolicyEnvironment(profile, directory) : {};
  return agentEnvironment(profile, { ...policy, ...overrides }, withKey(vendor));
}

function check(report: DoctorReport, id: string) {
  return report.checks.find((candidate) => candidate.id === id);
}

describe('dual-auth doctor: a correct setup', () => {
  it.each(vendors)('%s passes every check and exits 0', async (vendor) => {
    const profile = idp.profile(vendor);
    const { status, report, stdout } = await doctor(environment(vendor));
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
        'human-policy',
        'verifier',
      ]),
    );
    expect(check(report, 'verifier')?.status).toBe('pass');
    // Hybrid: the humans map and the required role decide; agbac: the IdP's check, assumed and said so.
    expect(check(report, 'verifier')?.detail).toMatch(
      hybrid(vendor)
        ? /human \S+ authorized: holds the required roles/
        : /authorized by the IdP .*\(assumed: no human policy given\)/,
    );
    expect(check(report, 'human-policy')?.status).toBe(hybrid(vendor) ? 'pass' : 'warn');
    // The agent's secret is read, used and never printed.
    expect(stdout).not.toContain(agentOf(profile).clientSecret);
  });

  it('prints a readable checklist without --json, with no colour when not on a terminal', async () => {
    const profile = idp.profile('keycloak');
    const run = await cli(['doctor'], { env: agentEnvironment(profile) });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('✔ the human is in the token (agbac mode)');
    expect(run.stdout).toMatch(/Setup OK \(10 passed, 1 warnings/);
    expect(run.stdout).not.toContain('\u001b[');
  });

  it("agbac with --human-authorized-by-idp: the IdP's check is the stated policy, no warning", async () => {
    const run = await cli(['doctor', '--human-authorized-by-idp'], {
      env: agentEnvironment(idp.profile('keycloak')),
    });
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toContain(
      "✔ human policy (how the API checks the human): the IdP's check of the human",
    );
    expect(run.stdout).toMatch(/human \S+ authorized by the IdP/);
    expect(run.stdout).toMatch(/Setup OK \(11 passed, 0 warnings/);
  });

  it('agbac with a humans map and a required role: the verifier checks the human itself', async () => {
    const profile = idp.profile('keycloak');
    const { status, report } = await doctor(
      agentEnvironment(profile, humanPolicyEnvironment(profile, directory)),
    );
    expect(failedChecks(report)).toEqual([]);
    expect(status).toBe(0);
    expect(check(report, 'verifier')?.detail).toMatch(/authorized: holds the required roles/);
  });

  it('fails without a test human, saying what it could not check, instead of "Setup OK"', async () => {
    const env = agentEnvironment(idp.profile('keycloak'));
    delete env.DUAL_AUTH_DOCTOR_HUMAN;
    const { status, report } = await doctor(env);
    expect(status).toBe(1);
    expect(report.ok).toBe(false);
    expect(failedChecks(report)).toEqual([['token', 'no_test_human']]);
    expect(check(report, 'token')).toMatchObject({
      detail: expect.stringContaining('the token request, the human in the token and the verifier'),
      fix: expect.stringContaining('--human'),
    });
    const text = await cli(['doctor'], { env });
    expect(text.status).toBe(1);
    expect(text.stdout).not.toContain('Setup OK');
    expect(text.stdout).toMatch(/Setup not fully checked \(.*\): give a test human with --human/);
  });
});

describe('dual-auth doctor: broken setups are named', () => {
  it.each([
    ['keycloak', 'wrong_credentials'],
    ['auth0', 'wrong_credentials'],
    ['okta', 'wrong_credentials'],
    ['entraid', 'wrong_credentials'],
  ] as const)('%s with a wrong secret: %s', async (vendor, fault) => {
    const env = environment(vendor, { AGENT_CLIENT_SECRET: 'not-the-secret-0123456789' });
    const { status, report } = await doctor(env);
    expect(status).toBe(1);
    expect(failedChecks(report)).toEqual([['token', fault]]);
    expect(report.checks.find((check) => check.id === 'token')?.fix).toContain('AGENT_CLIENT_SECRET');
  });

  it.each(vendors)('%s with an agent that is not pre-approved (no agent role)', async (vendor) => {
    const profile = idp.profile(vendor);
    const rogue = agentOf(profile, 'rogue-agent');
    const env = environment(vendor, {
      AGENT_CLIENT_ID: rogue.clientId,
      AGENT_CLIENT_SECRET: rogue.clientSecret,
    });
    const { status, report } = await doctor(env);
    expect(status).toBe(1);
    // Keycloak's script mapper cannot fail the request: the token goes out without act, with
    // dual_auth_refusal "… has not approved agent rogue-agent" (apps/e2e/test/real-keycloak).
    const named = [[['token', 'agent_not_approved']]];
    if (vendor === 'keycloak') named.push([['human', 'human_not_approved']]);
    expect(named).toContainEqual(failedChecks(report));
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
    // Refused at the token endpoint, or (Keycloak, as its script mapper must) issued without act
    // and with dual_auth_refusal: either way the fault is the human's approval.
    expect(failedChecks(report)).toContainEqual([
      expect.stringMatching(/^(token|human)$/),
      'human_not_approved',
    ]);
    expect(failedChecks(report)).toHaveLength(1);
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
    const overrides: Record<string, string> =
      vendor === 'entraid'
        ? { API_AUDIENCE: 'api://payroll', API_SCOPE: 'api://payroll/.default' }
        : { API_AUDIENCE: 'https://api.dual-auth.test/payroll' };
    const { status, report } = await doctor(environment(vendor, overrides));
    expect(status).toBe(1);
    expect(failedChecks(report)).toContainEqual([expect.any(String), 'wrong_audience']);
  });

  // Entra v2 tokens carry the API app's client id in aud, never the Application ID URI of the scope
  // (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference, aud).
  it('entraid with API_AUDIENCE set to the Application ID URI: names the client id to set instead', async () => {
    const profile = idp.profile('entraid');
    const uri = defaultIdpFixture().api.identifier;
    const { status, report } = await doctor(environment('entraid', { API_AUDIENCE: uri }));
    expect(status).toBe(1);
    expect(failedChecks(report)).toContainEqual(['audience', 'wrong_audience']);
    const audience = check(report, 'audience');
    expect(audience?.detail).toContain(`the token's aud is ${profile.audience}, API_AUDIENCE is ${uri}`);
    expect(audience?.fix).toBe(
      `set API_AUDIENCE to ${profile.audience}, the API app's Application (client) ID: Entra v2 tokens carry it as aud, never the Application ID URI (${uri})`,
    );
  });

  it('entraid without API_AUDIENCE for an Application ID URI scope: the adapter asks for the client id', async () => {
    const env = environment('entraid');
    delete env.API_AUDIENCE;
    const { status, report } = await doctor(env);
    expect(status).toBe(1);
    expect(failedChecks(report)).toContainEqual(['adapter', 'config_invalid']);
    const adapter = check(report, 'adapter');
    expect(adapter?.detail).toContain("set it to the API app's Application (client) ID");
    expect(adapter?.fix).toBe('fix API_AUDIENCE');
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
    const profile = idp.profile('okta');
    const { status, report } = await doctor(
      agentEnvironment(profile, humanPolicyEnvironment(profile, directory)),
    );
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

  it('a token URL with a wrong realm: the discovery 404 names the setting', async () => {
    const profile = idp.profile('keycloak');
    const env = agentEnvironment(profile, {
      KEYCLOAK_TOKEN_URL: profile.tokenEndpoint.replace(/\/realms\/[^/]+\//, '/realms/no-such-realm/'),
    });
    const { report } = await doctor(env);
    expect(failedChecks(report)).toEqual([['discovery', 'url_unreachable']]);
    expect(check(report, 'discovery')?.fix).toContain('KEYCLOAK_TOKEN_URL is probably wrong');
  });
});

describe('dual-auth doctor: the human policy of a hybrid setup (the IdP never sees the human)', () => {
  it.each(['okta', 'entraid'] as const)(
    '%s without a human policy fails, even for a human the IdP would never have let through',
    async (vendor) => {
      const profile = idp.profile(vendor);
      // bob lacks FinanceUser: before, "the verifier allows it … Setup OK".
      const env = agentEnvironment(profile, {}, appKey);
      const { status, report } = await doctor(env, ['--human', humanOf(profile, 'bob')]);
      expect(status).toBe(1);
      expect(failedChecks(report)).toEqual([['human-policy', 'human_policy_missing']]);
      expect(check(report, 'human-policy')?.fix).toContain('--humans FILE');
      expect(check(report, 'verifier')?.status).toBe('skip');
      const text = await cli(['doctor', '--human', humanOf(profile, 'bob')], { env });
      expect(text.stdout).not.toContain('Setup OK');
      expect(text.stdout).not.toMatch(/verifier allows it.*ALLOW/);
    },
  );

  it.each([
    ['bob', 'human_denied', /the human lacks role FinanceUser/],
    ['carol', 'delegation_invalid', /the human may not delegate to this agent/],
  ] as const)('okta with the humans map and role: %s is refused (%s)', async (name, code, reason) => {
    const profile = idp.profile('okta');
    const { status, report } = await doctor(environment('okta'), ['--human', humanOf(profile, name)]);
    expect(status).toBe(1);
    expect(failedChecks(report)).toEqual([['verifier', 'verifier_denied']]);
    expect(check(report, 'verifier')?.detail).toContain(`DENY ${code}`);
    expect(check(report, 'verifier')?.detail).toMatch(reason);
  });

  it('okta with a humans map but no required role: the authorizer decides (an unknown human is refused)', async () => {
    const profile = idp.profile('okta');
    const env = environment('okta', { DUAL_AUTH_DOCTOR_HUMAN_ROLES: '' });
    const allowed = await doctor(env);
    expect(allowed.status, allowed.stdout).toBe(0);
    expect(check(allowed.report, 'verifier')?.detail).toContain(
      'authorized by the human authorizer (--humans)',
    );
    const unknown = await doctor(env, ['--human', 'not-in-the-map']);
    expect(unknown.status).toBe(1);
    expect(check(unknown.report, 'verifier')?.detail).toContain(
      'the human is unknown to the human authorizer',
    );
    expect(profile.humans.length).toBeGreaterThan(0);
  });

  it('refuses --human-authorized-by-idp for hybrid, and --human-role with no source of roles', async () => {
    const env = agentEnvironment(idp.profile('okta'), {}, appKey);
    const byIdp = await doctor(env, ['--human-authorized-by-idp']);
    expect(byIdp.status).toBe(1);
    expect(failedChecks(byIdp.report)).toEqual([['human-policy', 'human_policy_invalid']]);
    expect(check(byIdp.report, 'human-policy')?.detail).toContain('the IdP never sees the human');
    const rolesOnly = await doctor(env, ['--human-role', 'FinanceUser']);
    expect(failedChecks(rolesOnly.report)).toEqual([['human-policy', 'human_policy_invalid']]);
    expect(check(rolesOnly.report, 'human-policy')?.detail).toContain('--human-role needs');
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
