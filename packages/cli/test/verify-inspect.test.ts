// inspect and verify on real tokens from the embedded IdP (over HTTPS), requested by the real
// vendor adapters exactly as an agent would.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Auth0Adapter } from '@dual-auth/adapter-auth0';
import { KeycloakAdapter } from '@dual-auth/adapter-keycloak';
import { OktaAdapter } from '@dual-auth/adapter-okta';
import type { TokenResponse } from '@dual-auth/core';
import { getConfig } from '@dual-auth/core/config';
import { createSenderFromConfig } from '@dual-auth/sender';
import type { IdpProfile } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { beforeAll, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.ts';
import { agentEnvironment, cli, humanOf } from './harness.ts';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

const idp = useEmbeddedIdp();
let directory: string;
let keycloakToken: TokenResponse;
let auth0Token: TokenResponse;
let oktaToken: TokenResponse;
const appId = 'https://app.dual-auth.test';

async function config(profile: IdpProfile, extra: Record<string, string> = {}) {
  // Resolve the adapter and backend packages from this package, as an application resolves its own.
  return getConfig({ environment: agentEnvironment(profile, extra), resolveFrom: packageDirectory });
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'dual-auth-cli-verify-'));
  expect((await cli(['keygen', '--alg', 'ES256', '--out-dir', directory])).status).toBe(0);
  const keycloak = idp.profile('keycloak');
  keycloakToken = await new KeycloakAdapter(await config(keycloak)).requestToken({
    agentId: 'finance-agent',
    act: { sub: humanOf(keycloak, 'alice') },
  });
  const auth0 = idp.profile('auth0');
  auth0Token = await new Auth0Adapter(await config(auth0)).requestToken({
    agentId: 'finance-agent',
    act: { sub: humanOf(auth0, 'alice') },
  });
  const okta = idp.profile('okta');
  const oktaConfig = await config(okta, {
    APP_PRIVATE_KEY_PATH: join(directory, 'app-private.pem'),
    APP_ID: appId,
  });
  const sender = await createSenderFromConfig(oktaConfig);
  oktaToken = await new OktaAdapter(oktaConfig, {
    signActAssertion: sender.createActAssertionSigner({ audience: okta.audience }),
  }).requestToken({ agentId: 'finance-agent', act: { sub: humanOf(okta, 'alice') } });
});

function verifyArgs(
  profile: IdpProfile,
  token: string,
  expected: { issuer?: string; audience?: string } = {},
): string[] {
  return [
    'verify',
    token,
    '--vendor',
    profile.vendor,
    '--issuer',
    expected.issuer ?? profile.issuer,
    '--audience',
    expected.audience ?? profile.audience,
  ];
}

describe('dual-auth inspect', () => {
  it('names a Keycloak agbac token: agent, human, delegation, expiry', async () => {
    const keycloak = idp.profile('keycloak');
    const run = await cli(['inspect', keycloakToken.accessToken, '--json']);
    expect(run.status).toBe(0);
    const description = JSON.parse(run.stdout);
    expect(description).toMatchObject({
      verified: false,
      kind: 'access-token',
      layout: 'agbac',
      vendor: 'keycloak',
      issuer: keycloak.issuer,
      agent: { id: 'finance-agent' },
      human: { sub: humanOf(keycloak, 'alice'), claim: 'act' },
      delegation: { method: 'explicit' },
      agbacVersion: '1.0',
      expired: false,
    });
  });

  it("hides the human's email and name unless --show-personal-data, and shows the IAM id", async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const act = { sub: 'user-4711', email: 'dana@example.com', name: 'Dana Delegates' };
    const token = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({
      iss: 'https://sso.example.com/realms/acme',
      azp: 'finance-agent',
      act,
      owner: { contact: { email: 'erin@example.com' } },
      email: 'agent-owner@example.com',
    })}.c2ln`;
    const hidden = await cli(['inspect', token]);
    expect(hidden.status).toBe(0);
    expect(hidden.stdout).toMatch(
      /Human\s+user-4711, email \(present, hidden\), name \(present, hidden\) \(act\)/,
    );
    const json = await cli(['inspect', token, '--json']);
    for (const run of [hidden, json]) {
      expect(run.stdout).not.toMatch(/@example\.com|Dana/);
    }
    expect(JSON.parse(json.stdout)).toMatchObject({
      human: { sub: 'user-4711', email: '(present, hidden)', name: '(present, hidden)' },
      claims: {
        email: '(present, hidden)',
        act: { sub: 'user-4711', email: '(present, hidden)', name: '(present, hidden)' },
        owner: { contact: { email: '(present, hidden)' } },
      },
    });
    const shown = await cli(['inspect', token, '--show-personal-data']);
    expect(shown.stdout).toContain('user-4711 <dana@example.com> "Dana Delegates"');
    const shownJson = JSON.parse((await cli(['inspect', token, '--json', '--show-personal-data'])).stdout);
    expect(shownJson.claims.owner.contact.email).toBe('erin@example.com');
  });

  it("inspect of a real Keycloak token never prints the human's email by default", async () => {
    for (const args of [[], ['--json']]) {
      const run = await cli(['inspect', keycloakToken.accessToken, ...args]);
      expect(run.stdout).not.toContain('alice@example.com');
    }
  });

  it('names an Auth0 token with the namespaced claim, read from standard input with a Bearer prefix', async () => {
    const run = await cli(['inspect', '-'], { stdin: `Bearer ${auth0Token.accessToken}\n` });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /Layout\s+agbac: the human is in the namespaced claim https:\/\/dual-auth\.dev\/act/,
    );
    expect(run.stdout).toMatch(/Vendor\s+looks like auth0/);
    expect(run.stdout).toMatch(/Agent\s+finance-agent/);
    expect(run.stdout).toContain('Decoded only, not verified');
  });

  it('names an Okta hybrid token and its act assertion', async () => {
    const token = JSON.parse((await cli(['inspect', oktaToken.accessToken, '--json'])).stdout);
    expect(token).toMatchObject({ layout: 'hybrid', vendor: 'okta', agent: { id: 'finance-agent' } });
    expect(token.human).toBeUndefined();
    const assertion = JSON.parse((await cli(['inspect', oktaToken.actAssertion ?? '', '--json'])).stdout);
    expect(assertion).toMatchObject({
      kind: 'act-assertion',
      layout: 'hybrid',
      agent: { id: 'finance-agent' },
      human: { sub: humanOf(idp.profile('okta'), 'alice') },
    });
  });

  it('prints an out-of-range exp or iat as such instead of failing', async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iss: 'https://idp.test', exp: 1e13, iat: -1e300 })}.c2ln`;
    const run = await cli(['inspect', token]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(exitCodes.ok);
    expect(run.stdout).toContain('10000000000000 (out of range)');
    expect(run.stdout).toContain('-1e+300 (out of range)');
  });

  it('refuses what is not a JWT with exit 3, and a missing token with exit 2', async () => {
    expect((await cli(['inspect', 'not.a-token'])).status).toBe(exitCodes.input);
    expect((await cli(['inspect', 'e30.e30'])).status).toBe(exitCodes.input);
    const missing = await cli(['inspect']);
    expect(missing.status).toBe(exitCodes.usage);
    expect(missing.stderr).toContain('token');
  });
});

describe('dual-auth verify', () => {
  it('allows a valid Keycloak token and explains each subject (JWKS found by discovery)', async () => {
    const run = await cli([
      ...verifyArgs(idp.profile('keycloak'), keycloakToken.accessToken),
      '--human-authorized-by-idp',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(exitCodes.ok);
    expect(run.stdout).toMatch(/^ALLOW\n/);
    expect(run.stdout).toMatch(/✔ agent\s+finance-agent: authorized/);
    expect(run.stdout).toMatch(/✔ human\s+\S+: authorized by the IdP \(trusted, not checked here/);
    expect(run.stdout).toMatch(/✔ delegation\s+explicit/);
  });

  it('says "present, not checked", never "authorized", when nothing checks the human (exit 1)', async () => {
    const keycloak = idp.profile('keycloak');
    const run = await cli(verifyArgs(keycloak, keycloakToken.accessToken));
    expect(run.status).toBe(exitCodes.denied);
    expect(run.stdout).toMatch(/^DENY human_unchecked \(HTTP 403\)/);
    expect(run.stdout).toMatch(/! human\s+\S+: present, not checked: nothing checks the human/);
    expect(run.stdout).toContain('--human-authorized-by-idp');
    expect(run.stdout).not.toMatch(/human\s+\S+: authorized/);
    const json = JSON.parse(
      (await cli([...verifyArgs(keycloak, keycloakToken.accessToken), '--json'])).stdout,
    );
    expect(json).toMatchObject({
      allow: false,
      code: 'human_unchecked',
      human: { id: humanOf(keycloak, 'alice'), status: 'not_checked' },
      subjects: { agent: { ok: true }, human: { ok: false } },
    });
  });

  it('says how the human was authorized: by the humans map, or by holding the required roles', async () => {
    const keycloak = idp.profile('keycloak');
    const humans = join(directory, 'finance-humans.json');
    writeFileSync(
      humans,
      JSON.stringify({ [humanOf(keycloak, 'alice')]: { roles: ['FinanceUser'], agents: ['finance-agent'] } }),
    );
    const args = [...verifyArgs(keycloak, keycloakToken.accessToken), '--humans', humans];
    const byMap = await cli(args);
    expect(byMap.status, byMap.stdout).toBe(exitCodes.ok);
    expect(byMap.stdout).toMatch(/✔ human\s+\S+: authorized by the human authorizer \(--humans\)/);
    const byRole = await cli([...args, '--human-role', 'FinanceUser', '--json']);
    expect(byRole.status).toBe(exitCodes.ok);
    expect(JSON.parse(byRole.stdout)).toMatchObject({
      human: { status: 'authorized' },
      subjects: { human: { ok: true, checkedBy: 'roles' } },
    });
  });

  it('refuses --human-authorized-by-idp for the hybrid layout, and --human-role with no source of roles (exit 2)', async () => {
    const okta = idp.profile('okta');
    const hybrid = ['--app-id', appId, '--app-public-key', join(directory, 'app.jwks.json')];
    const byIdp = await cli([
      ...verifyArgs(okta, oktaToken.accessToken),
      ...hybrid,
      '--human-authorized-by-idp',
    ]);
    expect(byIdp.status).toBe(exitCodes.usage);
    expect(byIdp.stderr).toContain('the IdP never sees the human');
    const rolesOnly = await cli([
      ...verifyArgs(idp.profile('keycloak'), keycloakToken.accessToken),
      '--human-role',
      'FinanceUser',
    ]);
    expect(rolesOnly.status).toBe(exitCodes.usage);
    expect(rolesOnly.stderr).toContain('--human-role needs');
  });

  it('denies a human without the required role (exit 1) and says which subject failed', async () => {
    const keycloak = idp.profile('keycloak');
    const humans = join(directory, 'humans.json');
    writeFileSync(
      humans,
      JSON.stringify({ [humanOf(keycloak, 'alice')]: { roles: ['Staff'], agents: '*' } }),
    );
    const run = await cli([
      ...verifyArgs(keycloak, keycloakToken.accessToken),
      '--jwks-uri',
      keycloak.jwksUri,
      '--humans',
      humans,
      '--human-role',
      'FinanceUser',
      '--json',
    ]);
    expect(run.status).toBe(exitCodes.denied);
    const decision = JSON.parse(run.stdout);
    expect(decision).toMatchObject({
      allow: false,
      code: 'human_denied',
      status: 403,
      subjects: { agent: { ok: true }, human: { ok: false } },
      exitCode: 1,
    });
    expect(run.stdout).not.toContain('alice@example.com');
  });

  it('denies an agent without a required role (exit 1)', async () => {
    const run = await cli([
      ...verifyArgs(idp.profile('keycloak'), keycloakToken.accessToken),
      '--agent-role',
      'PayrollAgent',
    ]);
    expect(run.status).toBe(exitCodes.denied);
    expect(run.stdout).toMatch(/^DENY agent_denied \(HTTP 403\)/);
    expect(run.stdout).toMatch(/✘ agent/);
  });

  it('refuses a token for another audience with exit 4 (token_invalid)', async () => {
    const keycloak = idp.profile('keycloak');
    const run = await cli([
      ...verifyArgs(keycloak, keycloakToken.accessToken, { audience: 'https://api.dual-auth.test/payroll' }),
      '--json',
    ]);
    expect(run.status).toBe(exitCodes.tokenInvalid);
    expect(JSON.parse(run.stdout)).toMatchObject({
      allow: false,
      code: 'token_invalid',
      hint: expect.stringMatching(
        /^the token's aud is .+, --audience is https:\/\/api\.dual-auth\.test\/payroll$/,
      ),
    });
    expect(JSON.parse(run.stdout).hint).toContain(keycloak.audience);
  });

  // Entra v2 tokens carry the API app's client id in aud, never the Application ID URI of the scope
  // (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference, aud).
  it('an Entra token refused for an Application ID URI audience: the hint names the client id to configure', async () => {
    const entra = idp.profile('entraid');
    const agent = entra.agents.find((candidate) => candidate.clientId === 'finance-agent');
    const response = await fetch(entra.tokenEndpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'finance-agent',
        client_secret: agent?.clientSecret ?? '',
        scope: entra.scope.join(' '),
      }),
    });
    const token = String(((await response.json()) as { access_token?: unknown }).access_token);
    const uri = 'https://api.dual-auth.test/finance';
    const run = await cli([
      ...verifyArgs(entra, token, { audience: uri }),
      '--app-id',
      appId,
      '--app-public-key',
      join(directory, 'app-public.pem'),
      '--json',
    ]);
    expect(run.status, run.stderr).toBe(exitCodes.tokenInvalid);
    expect(JSON.parse(run.stdout).hint).toBe(
      `the token's aud is ${entra.audience}, --audience is ${uri}: set --audience to ${entra.audience}, the API app's Application (client) ID: Entra v2 tokens carry it as aud, never the Application ID URI (${uri})`,
    );
  });

  it("shows the token's iss beside the expected one when the issuer is refused", async () => {
    const keycloak = idp.profile('keycloak');
    const wrong = `${keycloak.issuer}/`;
    const run = await cli([
      ...verifyArgs(keycloak, keycloakToken.accessToken, { issuer: wrong }),
      '--jwks-uri',
      keycloak.jwksUri,
      '--human-authorized-by-idp',
    ]);
    expect(run.status).toBe(exitCodes.tokenInvalid);
    expect(run.stdout).toMatch(/^DENY token_invalid \(HTTP 401\): access token issuer is not accepted\n/);
    expect(run.stdout).toContain(`the token's iss is ${keycloak.issuer}, --issuer is ${wrong}`);
  });

  it('a Keycloak token the act mapper marked (dual_auth_refusal, no act): the hint gives the reason', async () => {
    const keycloak = idp.profile('keycloak');
    const carol = humanOf(keycloak, 'carol');
    const token = await new KeycloakAdapter(await config(keycloak))
      .requestToken({ agentId: 'finance-agent', act: { sub: carol } })
      .then((response) => response.accessToken)
      .catch(() => undefined);
    // The embedded profile refuses the request instead when it does not mimic the script mapper.
    if (token === undefined) return;
    const run = await cli([...verifyArgs(keycloak, token), '--human-authorized-by-idp', '--json']);
    expect(run.status).toBe(exitCodes.tokenInvalid);
    expect(JSON.parse(run.stdout).hint).toMatch(
      /^the IdP's act mapper refused the human: dual_auth_refusal "/,
    );
  });

  it('a wrong issuer: says the issuer is probably wrong and shows the discovery URL tried (exit 5)', async () => {
    const keycloak = idp.profile('keycloak');
    const wrong = keycloak.issuer.replace(/\/realms\/[^/]+$/, '/realms/no-such-realm');
    const run = await cli(verifyArgs(keycloak, keycloakToken.accessToken, { issuer: wrong }));
    expect(run.status).toBe(exitCodes.unavailable);
    expect(run.stderr).toContain(
      `no discovery document at ${wrong}/.well-known/openid-configuration (HTTP 404)`,
    );
    expect(run.stderr).toContain(
      `the issuer ${wrong} is probably wrong; the token's iss is ${keycloak.issuer}`,
    );
  });

  it('refuses a token read in the wrong layout (rfc8693 where agbac is issued)', async () => {
    const run = await cli([
      ...verifyArgs(idp.profile('keycloak'), keycloakToken.accessToken),
      '--layout',
      'rfc8693',
    ]);
    expect(run.status).toBe(exitCodes.tokenInvalid);
  });

  it('allows an Auth0 token: human, delegation and agbac_ver read from the namespaced claims', async () => {
    const run = await cli([
      ...verifyArgs(idp.profile('auth0'), auth0Token.accessToken),
      '--human-authorized-by-idp',
      '--json',
    ]);
    expect(run.status, run.stdout).toBe(exitCodes.ok);
    expect(JSON.parse(run.stdout)).toMatchObject({
      allow: true,
      human: { id: humanOf(idp.profile('auth0'), 'alice') },
      delegation: { method: 'explicit' },
    });
  });

  it('allows an Okta hybrid token with its act assertion, and refuses it without (exit 4)', async () => {
    const okta = idp.profile('okta');
    const humans = join(directory, 'okta-humans.json');
    writeFileSync(
      humans,
      JSON.stringify({ [humanOf(okta, 'alice')]: { roles: ['FinanceUser'], agents: '*' } }),
    );
    const hybrid = [
      ...['--app-id', appId, '--app-public-key', join(directory, 'app.jwks.json')],
      ...['--humans', humans, '--human-role', 'FinanceUser'],
    ];
    const assertionFile = join(directory, 'assertion.jwt');
    writeFileSync(assertionFile, oktaToken.actAssertion ?? '');
    const allowed = await cli([
      ...verifyArgs(okta, oktaToken.accessToken),
      ...hybrid,
      '--act-assertion',
      `@${assertionFile}`,
    ]);
    expect(allowed.status, allowed.stdout + allowed.stderr).toBe(exitCodes.ok);
    const missing = await cli([...verifyArgs(okta, oktaToken.accessToken), ...hybrid]);
    expect(missing.status).toBe(exitCodes.tokenInvalid);
  });

  it('refuses an application key file that is not JSON (without quoting it) or is a private key, with exit 3', async () => {
    const okta = idp.profile('okta');
    const broken = join(directory, 'broken.jwks.json');
    writeFileSync(broken, '{ "keys": [ CANARY-KEY-MATERIAL-4f2a');
    const garbled = await cli([
      ...verifyArgs(okta, oktaToken.accessToken),
      '--app-id',
      appId,
      '--app-public-key',
      broken,
    ]);
    expect(garbled.status).toBe(exitCodes.input);
    expect(garbled.stderr).toContain('--app-public-key is not a PEM key or a JSON JWKS');
    expect(garbled.stdout + garbled.stderr).not.toContain('CANARY');
    const privateKey = await cli([
      ...verifyArgs(okta, oktaToken.accessToken),
      '--app-id',
      appId,
      '--app-public-key',
      join(directory, 'app-private.pem'),
    ]);
    expect(privateKey.status).toBe(exitCodes.input);
    expect(privateKey.stderr).toContain('--app-public-key: the key is a private key');
    expect(privateKey.stderr).not.toContain('PRIVATE KEY-----');
  });

  it('answers 5 when the JWKS cannot be found, and 2 for missing options', async () => {
    const unreachable = await cli([
      'verify',
      keycloakToken.accessToken,
      '--vendor',
      'keycloak',
      '--issuer',
      'https://127.0.0.1:9/realms/x',
      '--audience',
      'x',
    ]);
    expect(unreachable.status).toBe(exitCodes.unavailable);
    expect((await cli(['verify', keycloakToken.accessToken, '--vendor', 'keycloak'])).status).toBe(
      exitCodes.usage,
    );
    expect((await cli(['verify', keycloakToken.accessToken, '--vendor', 'ping'])).status).toBe(
      exitCodes.usage,
    );
  });
});
