import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { IdpProfile } from '@dual-auth/testkit';
import { exitCodes } from '../exit-codes.ts';
import { CliExit } from './command-context.ts';
import { createKeyPair } from './create-key-pair.ts';
import { tokenUrlSettings } from './vendor-endpoints.ts';
import { writePrivateFile } from './write-private-file.ts';

/** The first line of every file `idp --write-env` writes: the mark that lets it replace its own. */
const header = '# written by "dual-auth idp --write-env" for the embedded IdP (test values only)';

/** The application id the written settings give a hybrid-mode agent. */
export const EMBEDDED_APP_ID = 'https://app.dual-auth.test';

/** What `idp --write-env` wrote. */
export interface WrittenIdpEnv {
  readonly envFile: string;
  readonly caFile: string | undefined;
  /** The key and humans map files (hybrid vendors), besides the env file. */
  readonly files: readonly string[];
  readonly agent: string;
  readonly human: string;
}

/** What the env file is for: one vendor profile, one agent, the roles the fixture uses. */
export interface IdpEnvRequest {
  readonly profile: IdpProfile;
  readonly envFile: string;
  readonly agentId: string | undefined;
  readonly agentRole: string;
  readonly humanRole: string;
  readonly ca: string | undefined;
  readonly insecureHttp: boolean;
}

async function refuseForeignFile(path: string): Promise<void> {
  let existing: string;
  try {
    existing = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new CliExit(exitCodes.input, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code}`);
  }
  // Only a file this command wrote is replaced: the IdP's port changes every run, while a .env of
  // the user's own must never be overwritten.
  if (!existing.startsWith(header)) {
    throw new CliExit(
      exitCodes.input,
      `refusing to overwrite ${path}: it was not written by "dual-auth idp --write-env"; choose another path`,
    );
  }
}

/**
 * Writes a `.env` that `dual-auth doctor --dotenv FILE` passes with against the running embedded
 * IdP: the vendor's settings for the agent, an approved test human and the human policy its mode
 * needs, and, for the hybrid vendors (Okta, Entra ID), a fresh application key pair and a humans
 * map beside it. Every file is mode 0600; paths in the file are absolute.
 */
export async function writeIdpEnv(request: IdpEnvRequest): Promise<WrittenIdpEnv> {
  const { profile, envFile } = request;
  const agent =
    request.agentId === undefined
      ? profile.agents.find(
          (candidate) =>
            (candidate.kind ?? 'agent') === 'agent' && candidate.roles.includes(request.agentRole),
        )
      : profile.agents.find((candidate) => candidate.clientId === request.agentId);
  if (agent === undefined) {
    throw new CliExit(
      exitCodes.usage,
      request.agentId === undefined
        ? `the fixture has no agent with the ${request.agentRole} role`
        : `--agent ${request.agentId} is not a client of the fixture (${profile.agents.map((candidate) => candidate.clientId).join(', ')})`,
    );
  }
  // A human who approved this agent; for an agent nobody approved, one with the role, so that doctor
  // still asks the IdP and shows what it answers rather than stopping at "no test human".
  const human =
    profile.humans.find(
      (candidate) =>
        candidate.roles.includes(request.humanRole) && candidate.approvedAgents.includes(agent.clientId),
    ) ?? profile.humans.find((candidate) => candidate.roles.includes(request.humanRole));
  const directory = dirname(envFile);
  const stem = join(directory, `dual-auth-${profile.vendor}`);
  await refuseForeignFile(envFile);
  const settings: [string, string][] = [
    ['DUAL_AUTH_VENDOR', profile.vendor],
    [tokenUrlSettings[profile.vendor], profile.tokenEndpoint],
    ['AGENT_CLIENT_ID', agent.clientId],
    ['AGENT_CLIENT_SECRET', agent.clientSecret],
    ['API_AUDIENCE', profile.audience],
    ['API_SCOPE', profile.scope.join(' ')],
  ];
  if (request.insecureHttp) settings.push(['DUAL_AUTH_ALLOW_INSECURE_LOOPBACK', 'true']);
  if (human !== undefined) settings.push(['DUAL_AUTH_DOCTOR_HUMAN', human.id]);
  const files: string[] = [];
  try {
    const caFile = request.ca === undefined ? undefined : `${stem}-ca.pem`;
    if (caFile !== undefined && request.ca !== undefined) await writePrivateFile(caFile, request.ca, true);
    if (profile.vendor === 'okta' || profile.vendor === 'entraid') {
      // Hybrid: the application signs the act assertion, and the API checks the human itself.
      const { privateKey, publicKey } = await createKeyPair('EdDSA');
      const keyFile = `${stem}-app-private.pem`;
      const publicFile = `${stem}-app-public.pem`;
      const humansFile = `${stem}-humans.json`;
      const humans = Object.fromEntries(
        profile.humans.map((entry) => [entry.id, { roles: entry.roles, agents: entry.approvedAgents }]),
      );
      await writePrivateFile(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, true);
      await writePrivateFile(publicFile, publicKey.export({ format: 'pem', type: 'spki' }) as string, true);
      await writePrivateFile(humansFile, `${JSON.stringify(humans, null, 2)}\n`, true);
      files.push(keyFile, publicFile, humansFile);
      settings.push(
        ['APP_ID', EMBEDDED_APP_ID],
        ['APP_PRIVATE_KEY_PATH', keyFile],
        ['APP_PUBLIC_KEY_PATH', publicFile],
        ['DUAL_AUTH_DOCTOR_HUMANS', humansFile],
        ['DUAL_AUTH_DOCTOR_HUMAN_ROLES', request.humanRole],
      );
    } else {
      // agbac: the embedded IdP's act mapper and Action refuse humans without the role or approval.
      settings.push(['DUAL_AUTH_DOCTOR_HUMAN_AUTHORIZED_BY_IDP', 'true']);
    }
    const lines = [header, ...settings.map(([key, value]) => `${key}=${value}`)];
    if (profile.vendor === 'entraid')
      lines.push(
        "# API_AUDIENCE is the API app's Application (client) ID: Entra v2 tokens carry it as aud, while API_SCOPE names the Application ID URI",
      );
    if (caFile !== undefined)
      lines.push(`# trust the test CA: NODE_EXTRA_CA_CERTS=${caFile} (or --ca-file ${caFile})`);
    await writePrivateFile(envFile, `${lines.join('\n')}\n`, true);
    return { envFile, caFile, files, agent: agent.clientId, human: human?.id ?? '' };
  } catch (error) {
    if (error instanceof CliExit) throw error;
    throw new CliExit(
      exitCodes.input,
      `cannot write --write-env ${envFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}
