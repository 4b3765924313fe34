// verify --from-config takes the API's settings from getConfig() as doctor does, on tokens that
// doctor --save-token obtained from the embedded IdP through the real adapters; explicit options
// override the configuration.
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Vendor } from '@dual-auth/core';
import { defaultIdpFixture, type EmbeddedIdp, startEmbeddedIdp, trustTestCa } from '@dual-auth/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.ts';
import { agentEnvironment, cli, type DoctorReport, humanOf, humanPolicyEnvironment } from './harness.ts';

let idp: EmbeddedIdp;
/** An Auth0 tenant whose Action writes another namespace (AUTH0_ACT_CLAIM must follow it). */
let acme: EmbeddedIdp;
const acmeClaim = 'https://acme.example/act';
let untrust: () => void;
let directory: string;
let appKey: { privateKeyPath: string; appId: string };

beforeAll(async () => {
  idp = await startEmbeddedIdp({ vendors: ['keycloak', 'okta'] });
  acme = await startEmbeddedIdp({
    vendors: ['auth0'],
    fixture: { ...defaultIdpFixture(), auth0ActClaim: acmeClaim },
  });
  untrust = trustTestCa();
  directory = mkdtempSync(join(tmpdir(), 'dual-auth-cli-from-config-'));
  expect((await cli(['keygen', '--out-dir', directory])).status).toBe(0);
  expect((await cli(['keygen', '--out-dir', directory, '--name', 'other'])).status).toBe(0);
  appKey = { privateKeyPath: join(directory, 'app-private.pem'), appId: 'https://app.dual-auth.test' };
});

afterAll(async () => {
  untrust();
  await idp.close();
  await acme.close();
});

function environment(vendor: Vendor, overrides: Record<string, string> = {}) {
  if (vendor === 'auth0')
    return agentEnvironment(acme.profile('auth0'), { AUTH0_ACT_CLAIM: acmeClaim, ...overrides });
  const hybrid = vendor === 'okta' || vendor === 'entraid';
  const profile = idp.profile(vendor);
  const policy = hybrid ? humanPolicyEnvironment(profile, directory) : {};
  return agentEnvironment(profile, { ...policy, ...overrides }, hybrid ? appKey : undefined);
}

/** verify's human policy options: agbac trusts the IdP's check; hybrid needs the humans map. */
function humanPolicy(vendor: Vendor): string[] {
  if (vendor !== 'okta' && vendor !== 'entraid') return ['--human-authorized-by-idp'];
  const { DUAL_AUTH_DOCTOR_HUMANS: humans = '', DUAL_AUTH_DOCTOR_HUMAN_ROLES: role = '' } =
    environment(vendor);
  return ['--humans', humans, '--human-role', role];
}

/** doctor gets a token for alice as the agent would and saves it (mode 0600). */
async function savedToken(vendor: Vendor): Promise<string> {
  const file = join(directory, `${vendor}.jwt`);
  const run = await cli(['doctor', '--json', '--save-token', file], { env: environment(vendor) });
  const report = JSON.parse(run.stdout) as DoctorReport;
  expect(run.status, run.stdout).toBe(0);
  expect(report.checks.find((check) => check.id === 'save-token')?.status).toBe('pass');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  return file;
}

describe('dual-auth doctor --save-token', () => {
  it('replaces an existing loose file with a 0600 one, and never writes through a symlink', async () => {
    const existing = join(directory, 'existing.jwt');
    writeFileSync(existing, 'old content\n');
    chmodSync(existing, 0o644);
    const target = join(directory, 'symlink-target.txt');
    writeFileSync(target, 'not yours\n');
    chmodSync(target, 0o644);
    const link = join(directory, 'link.jwt');
    symlinkSync(target, link);
    for (const file of [existing, link]) {
      const run = await cli(['doctor', '--json', '--save-token', file], { env: environment('keycloak') });
      const report = JSON.parse(run.stdout) as DoctorReport;
      expect(report.checks.find((check) => check.id === 'save-token')?.status, run.stdout).toBe('pass');
      expect(lstatSync(file).isSymbolicLink()).toBe(false);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    }
    expect(readFileSync(target, 'utf8')).toBe('not yours\n');
    expect(statSync(target).mode & 0o777).toBe(0o644);
  });
});

describe('dual-auth verify --from-config', () => {
  it('allows a Keycloak token with the settings getConfig() loads (issuer and JWKS by discovery)', async () => {
    const file = await savedToken('keycloak');
    const run = await cli(['verify', '-', '--from-config', ...humanPolicy('keycloak'), '--json'], {
      env: environment('keycloak'),
      stdin: readFileSync(file, 'utf8'),
    });
    expect(run.stderr).toBe('');
    expect(run.status, run.stdout).toBe(exitCodes.ok);
    expect(JSON.parse(run.stdout)).toMatchObject({
      allow: true,
      agent: { id: 'finance-agent' },
      human: { id: humanOf(idp.profile('keycloak'), 'alice') },
      delegation: { method: 'explicit' },
    });
  });

  it('explicit options override the configuration, in both directions', async () => {
    const token = readFileSync(await savedToken('keycloak'), 'utf8');
    const wrongOption = await cli(
      ['verify', token, '--from-config', '--audience', 'https://api.dual-auth.test/payroll', '--json'],
      { env: environment('keycloak') },
    );
    expect(wrongOption.status).toBe(exitCodes.tokenInvalid);
    expect(JSON.parse(wrongOption.stdout)).toMatchObject({ code: 'token_invalid' });
    const wrongSetting = environment('keycloak', { API_AUDIENCE: 'https://api.dual-auth.test/payroll' });
    expect((await cli(['verify', token, '--from-config'], { env: wrongSetting })).status).toBe(
      exitCodes.tokenInvalid,
    );
    const corrected = await cli(
      [
        'verify',
        token,
        '--from-config',
        ...humanPolicy('keycloak'),
        '--audience',
        idp.profile('keycloak').audience,
      ],
      { env: wrongSetting },
    );
    expect(corrected.status, corrected.stdout).toBe(exitCodes.ok);
  });

  it('reads a --dotenv file, as doctor does', async () => {
    const token = readFileSync(await savedToken('keycloak'), 'utf8');
    const envFile = join(directory, 'keycloak.env');
    writeFileSync(
      envFile,
      Object.entries(environment('keycloak'))
        .map(([key, value]) => `${key}=${value}`)
        .join('\n'),
    );
    const run = await cli([
      'verify',
      token,
      '--from-config',
      '--dotenv',
      envFile,
      ...humanPolicy('keycloak'),
    ]);
    expect(run.status, run.stdout + run.stderr).toBe(exitCodes.ok);
    expect(run.stdout).toMatch(/^ALLOW\n/);
  });

  it('allows an Auth0 token: the human, delegation and agbac_ver in the AUTH0_ACT_CLAIM namespace', async () => {
    const token = readFileSync(await savedToken('auth0'), 'utf8');
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(Object.keys(claims)).toEqual(
      expect.arrayContaining([
        acmeClaim,
        'https://acme.example/delegation',
        'https://acme.example/agbac_ver',
      ]),
    );
    const run = await cli(['verify', token, '--from-config', ...humanPolicy('auth0'), '--json'], {
      env: environment('auth0'),
    });
    expect(run.status, run.stdout).toBe(exitCodes.ok);
    expect(JSON.parse(run.stdout)).toMatchObject({
      allow: true,
      human: { id: humanOf(acme.profile('auth0'), 'alice') },
      delegation: { method: 'explicit' },
    });
    // Another claim than the one the Action writes: the human is missing, token_invalid.
    const elsewhere = await cli(
      ['verify', token, '--from-config', '--human-claim', 'https://dual-auth.dev/act'],
      {
        env: environment('auth0'),
      },
    );
    expect(elsewhere.status).toBe(exitCodes.tokenInvalid);
  });

  it('allows an Okta hybrid token with its act assertion, trusting the configured application key', async () => {
    const file = await savedToken('okta');
    expect(statSync(`${file}.act-assertion`).mode & 0o777).toBe(0o600);
    const token = readFileSync(file, 'utf8');
    const assertion = ['--act-assertion', `@${file}.act-assertion`];
    const run = await cli(
      ['verify', token, '--from-config', ...assertion, ...humanPolicy('okta'), '--json'],
      {
        env: environment('okta'),
      },
    );
    expect(run.status, run.stdout + run.stderr).toBe(exitCodes.ok);
    expect(JSON.parse(run.stdout)).toMatchObject({
      allow: true,
      human: { id: humanOf(idp.profile('okta'), 'alice') },
    });
    // APP_PUBLIC_KEY_PATH, the key an API holds, comes first: another key refuses the assertion.
    const otherKey = environment('okta', { APP_PUBLIC_KEY_PATH: join(directory, 'other-public.pem') });
    const refused = await cli(['verify', token, '--from-config', ...assertion], { env: otherKey });
    expect(refused.status).toBe(exitCodes.tokenInvalid);
    const matching = environment('okta', { APP_PUBLIC_KEY_PATH: join(directory, 'app-public.pem') });
    expect(
      (await cli(['verify', token, '--from-config', ...assertion, ...humanPolicy('okta')], { env: matching }))
        .status,
    ).toBe(exitCodes.ok);
  });

  it('with no human policy, says the human is present but not checked, never authorized (exit 1)', async () => {
    const file = await savedToken('okta');
    const token = readFileSync(file, 'utf8');
    const run = await cli(['verify', token, '--from-config', '--act-assertion', `@${file}.act-assertion`], {
      env: environment('okta'),
    });
    expect(run.status).toBe(exitCodes.denied);
    expect(run.stdout).toMatch(/^DENY human_unchecked/);
    expect(run.stdout).toMatch(/! human\s+\S+: present, not checked/);
    expect(run.stdout).not.toMatch(/human\s+\S+: authorized/);
    // Hybrid: the IdP never saw the human, so its check is not offered as a way out.
    expect(run.stdout).not.toContain('--human-authorized-by-idp');
  });

  it('refuses a configuration that does not load (exit 3) and --dotenv without --from-config (exit 2)', async () => {
    const broken = await cli(['verify', 'e30.e30.x', '--from-config'], {
      env: environment('keycloak', { KEYCLOAK_TOKEN_URL: 'http://sso.example.com/token' }),
    });
    expect(broken.status).toBe(exitCodes.input);
    expect(broken.stderr).toContain('KEYCLOAK_TOKEN_URL');
    expect(broken.stderr).not.toContain(environment('keycloak').AGENT_CLIENT_SECRET);
    const misuse = await cli(['verify', 'e30.e30.x', '--dotenv', 'x.env']);
    expect(misuse.status).toBe(exitCodes.usage);
  });
});
