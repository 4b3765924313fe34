// Shared by the CLI's integration tests: run the command in-process with captured output, and
// describe an embedded IdP profile as the environment an agent would be configured with.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Vendor } from '@dual-auth/core';
import { defaultIdpFixture, type IdpProfile } from '@dual-auth/testkit';
import { runCli } from '../src/index.ts';

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function* chunks(text: string): AsyncIterable<string> {
  yield text;
}

export async function cli(
  argv: readonly string[],
  options: { env?: Record<string, string | undefined>; stdin?: string; cwd?: string } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: options.env ?? {},
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.stdin === undefined ? {} : { stdin: chunks(options.stdin) }),
  });
  return { status, stdout, stderr };
}

const tokenUrlSettings: Record<Vendor, string> = {
  keycloak: 'KEYCLOAK_TOKEN_URL',
  auth0: 'AUTH0_TOKEN_URL',
  okta: 'OKTA_TOKEN_URL',
  entraid: 'ENTRAID_TOKEN_URL',
};

export function agentOf(profile: IdpProfile, clientId = 'finance-agent') {
  const agent = profile.agents.find((candidate) => candidate.clientId === clientId);
  if (agent === undefined) throw new Error(`fixture agent ${clientId} missing`);
  return agent;
}

export function humanOf(profile: IdpProfile, name: 'alice' | 'bob' | 'carol'): string {
  const human = profile.humans.find((candidate) => candidate.email.startsWith(`${name}@`));
  if (human === undefined) throw new Error(`fixture human ${name} missing`);
  return human.id;
}

/** The environment of a correctly configured agent for this profile (hybrid vendors need an app key). */
export function agentEnvironment(
  profile: IdpProfile,
  overrides: Record<string, string> = {},
  appKey?: { privateKeyPath: string; appId: string },
): Record<string, string> {
  const agent = agentOf(profile);
  return {
    DUAL_AUTH_VENDOR: profile.vendor,
    [tokenUrlSettings[profile.vendor]]: profile.tokenEndpoint,
    AGENT_CLIENT_ID: agent.clientId,
    AGENT_CLIENT_SECRET: agent.clientSecret,
    API_AUDIENCE: profile.audience,
    API_SCOPE: profile.scope.join(' '),
    DUAL_AUTH_DOCTOR_HUMAN: humanOf(profile, 'alice'),
    ...(appKey === undefined ? {} : { APP_PRIVATE_KEY_PATH: appKey.privateKeyPath, APP_ID: appKey.appId }),
    ...overrides,
  };
}

export interface DoctorReport {
  readonly ok: boolean;
  readonly checks: {
    id: string;
    status: string;
    title: string;
    detail: string;
    fault?: string;
    fix?: string;
  }[];
}

export function failedChecks(report: DoctorReport) {
  return report.checks.filter((check) => check.status === 'fail').map((check) => [check.id, check.fault]);
}

/**
 * The human policy a hybrid-mode API needs (the IdP never sees the human): the profile's humans as
 * a humans map file (the API's human authorizer) and the fixture's human role required, as doctor's
 * environment settings.
 */
export function humanPolicyEnvironment(profile: IdpProfile, directory: string): Record<string, string> {
  const file = join(directory, `${profile.vendor}-humans.json`);
  const humans = Object.fromEntries(
    profile.humans.map((human) => [human.id, { roles: human.roles, agents: human.approvedAgents }]),
  );
  writeFileSync(file, JSON.stringify(humans));
  return { DUAL_AUTH_DOCTOR_HUMANS: file, DUAL_AUTH_DOCTOR_HUMAN_ROLES: defaultIdpFixture().humanRole };
}
