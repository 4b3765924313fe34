import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TokenRequestParams } from '@dual-auth/core';
import { defaultIdpFixture, type HumanFixture, readFirstLine } from '@dual-auth/testkit';

/** The embedded IdP of the token-cache benchmarks, running in its own process. */
export interface BenchKeycloakIdp {
  readonly tokenEndpoint: string;
  /** The fixture's agent, `finance-agent`. */
  readonly agent: { readonly clientId: string; readonly clientSecret: string };
  /** `keyCount` distinct (agent, human, scope) keys: keyCount / 2 humans × two scope sets. */
  readonly keys: readonly TokenRequestParams[];
  stop(): Promise<void>;
}

interface IdpDescription {
  readonly profiles: readonly {
    readonly tokenEndpoint: string;
    readonly clients: readonly { readonly clientId: string; readonly clientSecret: string }[];
    readonly users: readonly { readonly id: string }[];
  }[];
}

/**
 * Starts the testkit's `dual-auth-idp` bin (Keycloak profile, HTTPS) in its own process, as a real
 * IdP does not share the agent's thread, with `keyCount / 2` humans who approved `finance-agent`.
 */
export async function startBenchKeycloakIdp(keyCount: number): Promise<BenchKeycloakIdp> {
  const base = defaultIdpFixture();
  const humans: HumanFixture[] = Array.from({ length: keyCount / 2 }, (_, index) => ({
    id: `human-${index}`,
    email: `human-${index}@example.com`,
    name: `Human ${index}`,
    roles: [base.humanRole],
    approvedAgents: ['finance-agent'],
  }));
  const scopeSets = [['finance.read'], ['finance.read', 'finance.write']] as const;
  const fixtureFolder = mkdtempSync(join(tmpdir(), 'dual-auth-bench-'));
  const fixtureFile = join(fixtureFolder, 'fixture.json');
  writeFileSync(fixtureFile, JSON.stringify({ ...base, humans }));
  const idpBin = fileURLToPath(
    import.meta
      .resolve('@dual-auth/testkit/package.json')
      .replace(/package\.json$/, 'src/bin/dual-auth-idp.ts'),
  );
  const idpProcess = spawn(
    process.execPath,
    ['--conditions=dev-source', idpBin, '--vendor', 'keycloak', '--fixture', fixtureFile],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const stop = async () => {
    if (idpProcess.exitCode === null && idpProcess.signalCode === null) {
      idpProcess.kill('SIGTERM');
      await once(idpProcess, 'exit');
    }
    rmSync(fixtureFolder, { recursive: true, force: true });
  };
  try {
    const profile = (JSON.parse(await readFirstLine(idpProcess)) as IdpDescription).profiles[0];
    if (profile === undefined) throw new Error('the embedded IdP described no profile');
    const agent = profile.clients.find((candidate) => candidate.clientId === 'finance-agent');
    if (agent === undefined) throw new Error('fixture agent finance-agent is missing');
    const keys: TokenRequestParams[] = profile.users
      .slice(-keyCount / 2)
      .flatMap((human) =>
        scopeSets.map((scope) => ({ agentId: agent.clientId, act: { sub: human.id }, scope: [...scope] })),
      );
    if (keys.length !== keyCount) throw new Error(`expected ${keyCount} keys, built ${keys.length}`);
    return { tokenEndpoint: profile.tokenEndpoint, agent, keys, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
