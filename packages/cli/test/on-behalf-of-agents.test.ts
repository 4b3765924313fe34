// The CLI in exchange mode at Okta, whose on-behalf-of token names the human in `uid` and the agent
// in `cid` with no `act` and no mark of an exchange (developer.okta.com/docs/guides/
// set-up-token-exchange): a native app's user token has the same form, so the verifier reads such a
// token only from an agent listed in `onBehalfOfAgents`. doctor lists the configured agent, verify
// --from-config too, and verify takes the list as --on-behalf-of-agent.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oktaNativeApp, requestOktaHumanToken } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { beforeAll, describe, expect, it } from 'vitest';
import { agentEnvironment, cli, type DoctorReport, failedChecks } from './harness.ts';

const idp = useEmbeddedIdp({ vendors: ['okta'], webClients: [oktaNativeApp] });
let directory: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'dual-auth-cli-obo-'));
});

/** alice's own access token from the native app, in a file. */
async function aliceTokenFile(): Promise<string> {
  const file = join(directory, 'alice.jwt');
  writeFileSync(file, await requestOktaHumanToken(idp.profile('okta').tokenEndpoint, 'alice'), {
    mode: 0o600,
  });
  return file;
}

const exchangeEnvironment = () => agentEnvironment(idp.profile('okta'), { DUAL_AUTH_MODE: 'exchange' });

/** verify with the API's settings spelled out, in the rfc8693 layout. */
const verifyArgs = (token: string, extra: string[] = []) => {
  const profile = idp.profile('okta');
  return [
    'verify',
    '--vendor',
    'okta',
    '--issuer',
    profile.issuer,
    '--audience',
    profile.audience,
    '--layout',
    'rfc8693',
    '--human-authorized-by-idp',
    ...extra,
    token,
  ];
};

describe('onBehalfOfAgents in the CLI (Okta exchange mode)', () => {
  let exchanged: string;

  it('doctor: the rfc8693 verifier, listing the configured agent, allows the exchanged token', async () => {
    const saved = join(directory, 'exchanged.jwt');
    const run = await cli(
      ['doctor', '--json', '--subject-token-file', await aliceTokenFile(), '--save-token', saved],
      { env: exchangeEnvironment() },
    );
    const report = JSON.parse(run.stdout) as DoctorReport;
    expect(failedChecks(report)).toEqual([]);
    expect(report.checks.find((line) => line.id === 'verifier')?.detail).toMatch(
      /^ALLOW: agent finance-agent, human /,
    );
    exchanged = readFileSync(saved, 'utf8');
  });

  it('verify --from-config lists the configured agent (AGENT_CLIENT_ID)', async () => {
    const run = await cli(['verify', '--from-config', '--human-authorized-by-idp', exchanged], {
      env: exchangeEnvironment(),
    });
    expect(run.stdout).toContain('ALLOW');
    expect(run.status).toBe(0);
  });

  it('verify without --on-behalf-of-agent denies it, naming the option (exit 4)', async () => {
    const run = await cli(verifyArgs(exchanged));
    expect(run.stdout).toContain('DENY token_invalid');
    expect(run.stdout).toContain('set onBehalfOfAgents to the client ids (cid)');
    expect(run.status).toBe(4);
  });

  it('verify --on-behalf-of-agent allows the listed agent and refuses alice’s own login token', async () => {
    const listed = await cli(verifyArgs(exchanged, ['--on-behalf-of-agent', 'finance-agent']));
    expect(listed.stdout).toContain('ALLOW');
    expect(listed.status).toBe(0);
    const own = readFileSync(await aliceTokenFile(), 'utf8');
    const refused = await cli(verifyArgs(own, ['--on-behalf-of-agent', 'finance-agent']));
    expect(refused.stdout).toContain('its client is not one of onBehalfOfAgents');
    expect(refused.status).toBe(4);
  });

  it('refuses --on-behalf-of-agent outside the rfc8693 layout (exit 2)', async () => {
    const args = verifyArgs(exchanged, ['--on-behalf-of-agent', 'finance-agent']);
    args[args.indexOf('rfc8693')] = 'agbac';
    const run = await cli(args);
    expect(run.stderr).toContain('onBehalfOfAgents is for the rfc8693 layout only');
    expect(run.status).toBe(2);
  });
});
