// doctor checks that API_URL and AGENT_ENDPOINT answer, against real loopback servers: one HTTPS
// server up (any HTTP status counts), a port where nothing listens, a plain-HTTP server reached
// with https:// (TLS fails) and a server that accepts but never answers (timeout).
import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import { testTls } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentEnvironment, cli, type DoctorReport, failedChecks } from './harness.ts';

const idp = useEmbeddedIdp({ vendors: ['keycloak'] });
let up: Server;
let plain: Server;
let silent: ReturnType<typeof createNetServer>;
const sockets: Socket[] = [];
let refusedPort: number;
let requests = 0;

function port(server: { address(): AddressInfo | string | null }): number {
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  const { cert, key } = testTls();
  up = createHttpsServer({ cert, key }, (request, response) => {
    requests++;
    response.writeHead(request.url === '/api' ? 401 : 404).end();
  });
  plain = createHttpServer((_request, response) => response.writeHead(200).end());
  silent = createNetServer((socket) => sockets.push(socket));
  for (const server of [up, plain, silent]) {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  }
  // A port that was just free: nothing listens there, so connecting is refused.
  const probe = createNetServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  refusedPort = port(probe);
  probe.close();
  await once(probe, 'close');
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  for (const server of [up, plain, silent]) server.close();
});

async function doctor(overrides: Record<string, string>) {
  const env = agentEnvironment(idp.profile('keycloak'), overrides);
  const run = await cli(['doctor', '--json'], { env });
  return { ...run, report: JSON.parse(run.stdout) as DoctorReport };
}

function check(report: DoctorReport, id: string) {
  return report.checks.find((candidate) => candidate.id === id);
}

describe('dual-auth doctor: API_URL and AGENT_ENDPOINT reachability', () => {
  it('passes for a server that answers (even 401) and fails for a refused port, with a fix', async () => {
    const { status, report } = await doctor({
      API_URL: `https://127.0.0.1:${port(up)}/api`,
      AGENT_ENDPOINT: `https://127.0.0.1:${refusedPort}/agent`,
    });
    expect(status).toBe(1);
    expect(requests).toBeGreaterThan(0);
    expect(check(report, 'api-url')).toMatchObject({
      status: 'pass',
      detail: `https://127.0.0.1:${port(up)}/api answered HTTP 401`,
    });
    expect(failedChecks(report)).toEqual([['agent-endpoint', 'url_unreachable']]);
    expect(check(report, 'agent-endpoint')).toMatchObject({
      detail: expect.stringContaining('ECONNREFUSED'),
      fix: expect.stringContaining('AGENT_ENDPOINT'),
    });
    expect(check(report, 'agent-endpoint')?.fix).toContain('nothing listens');
  });

  it('names a TLS failure and a timeout', async () => {
    const { report } = await doctor({
      API_URL: `https://127.0.0.1:${port(plain)}/`,
      AGENT_ENDPOINT: `https://127.0.0.1:${port(silent)}/`,
    });
    expect(failedChecks(report)).toEqual([
      ['api-url', 'url_unreachable'],
      ['agent-endpoint', 'url_unreachable'],
    ]);
    expect(check(report, 'api-url')?.fix).toContain('TLS failed');
    expect(check(report, 'agent-endpoint')).toMatchObject({
      detail: expect.stringContaining('no answer within 3000 ms'),
      fix: expect.stringContaining('no answer in time'),
    });
  });

  it('adds no check when neither is configured', async () => {
    const { status, report } = await doctor({});
    expect(status).toBe(0);
    expect(report.checks.map((candidate) => candidate.id)).not.toContain('api-url');
    expect(report.checks.map((candidate) => candidate.id)).not.toContain('agent-endpoint');
  });
});
