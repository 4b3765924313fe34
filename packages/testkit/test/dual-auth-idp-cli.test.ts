import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { trustTestCa } from '../src/index.ts';
import { readFirstLine } from '../src/read-first-line.ts';

const bin = fileURLToPath(new URL('../src/bin/dual-auth-idp.ts', import.meta.url));

function startCli(args: string[]): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, ['--conditions=dev-source', bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('dual-auth-idp command', () => {
  it('prints one JSON line describing every profile, serves tokens, and stops cleanly on SIGTERM', async () => {
    const child = startCli(['--vendor', 'keycloak,okta']);
    const description = JSON.parse(await readFirstLine(child, { timeoutMs: 15_000 })) as {
      baseUrl: string;
      caFile: string;
      profiles: {
        vendor: string;
        tokenEndpoint: string;
        issuer: string;
        jwksUri: string;
        discoveryUrl: string;
        clients: { clientId: string; clientSecret: string; roles: string[] }[];
        users: { id: string; roles: string[]; approvedAgents: string[] }[];
      }[];
    };
    expect(description.profiles.map((profile) => profile.vendor)).toEqual(['keycloak', 'okta']);
    const [keycloak] = description.profiles;
    expect(keycloak?.issuer).toBe(`${description.baseUrl}/realms/dual-auth`);
    expect(keycloak?.users.find((user) => user.roles.includes('FinanceUser'))?.approvedAgents).toContain(
      'finance-agent',
    );
    const agent = keycloak?.clients.find((client) => client.clientId === 'finance-agent');
    const untrust = trustTestCa();
    try {
      const response = await fetch(keycloak?.tokenEndpoint ?? '', {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'finance-agent',
          client_secret: agent?.clientSecret ?? '',
        }),
      });
      expect(response.status).toBe(200);
    } finally {
      untrust();
    }
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('loads a fixture file over the defaults', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'dual-auth-idp-'));
    const file = join(directory, 'fixture.json');
    writeFileSync(file, JSON.stringify({ realm: 'acme', agentRole: 'AcmeAgent' }));
    const child = startCli(['--vendor', 'keycloak', '--http', '--fixture', file]);
    const description = JSON.parse(await readFirstLine(child, { timeoutMs: 15_000 })) as {
      baseUrl: string;
      profiles: { issuer: string }[];
    };
    expect(description.baseUrl).toMatch(/^http:\/\//);
    expect(description.profiles[0]?.issuer).toBe(`${description.baseUrl}/realms/acme`);
    child.kill('SIGINT');
    expect((await once(child, 'exit'))[0]).toBe(0);
  });

  it.each([
    [['--vendor', 'ping'], 'unknown vendor "ping"'],
    [['--port', 'eighty'], '--port must be a port number'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('refuses %j with exit code 2 and says why', async (args, message) => {
    const child = startCli(args);
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('refuses an invalid fixture file naming the problem', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'dual-auth-idp-'));
    const file = join(directory, 'fixture.json');
    writeFileSync(
      file,
      JSON.stringify({
        agents: [{ clientId: 'a', clientSecret: 'short', authMethods: ['client_secret_post'], roles: [] }],
      }),
    );
    const child = startCli(['--fixture', file]);
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('agents.0.clientSecret');
  });
});
