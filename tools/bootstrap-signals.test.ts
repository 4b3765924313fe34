// `npm run demo -- --serve` then `kill $!` must stop the demo: tools/bootstrap.mjs passes SIGINT,
// SIGTERM and SIGHUP on to the command it runs, and to everything under it (pnpm and the `sh -c`
// it starts for a script do not pass signals on), then exits with the command's status.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readFirstLine } from '../packages/testkit/src/read-first-line.ts';
import { exitOf, portClosesWithin } from './spawned-process.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
// A TCP server that prints "<pid> <port>" once listening; on SIGTERM it closes and exits 7.
const server = `const server = require('node:net').createServer((socket) => socket.end());
server.listen(0, '127.0.0.1', () => console.log(process.pid + ' ' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(7)));`;

const started: ChildProcess[] = [];
const servers: number[] = [];

function bootstrap(...args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['tools/bootstrap.mjs', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  return child;
}

async function serverOf(child: ChildProcess): Promise<number> {
  const [pid, port] = (await readFirstLine(child, { timeoutMs: 30_000 })).split(' ').map(Number);
  servers.push(pid ?? 0);
  return port ?? 0;
}

afterEach(() => {
  // What an old bootstrap leaves behind when it dies alone.
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const pid of servers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Stopped, as it should be.
    }
  }
});

describe('tools/bootstrap.mjs forwards signals', () => {
  it('is exec-ed by every root script that starts it, so `kill` on npm reaches it', () => {
    const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const starting = Object.entries(scripts).filter(([, command]) => command.includes('tools/bootstrap.mjs'));
    expect(starting.map(([name]) => name)).toContain('test');
    for (const [name, command] of starting)
      expect(command, name).toMatch(/^exec node tools\/bootstrap\.mjs\b/);
  });

  it('SIGTERM reaches the command, and bootstrap exits with its status', async () => {
    const child = bootstrap('exec', 'node', '-e', server);
    const port = await serverOf(child);
    child.kill('SIGTERM');
    expect(await exitOf(child)).toEqual({ code: 7, signal: null });
    expect(await portClosesWithin(port, 5_000)).toBe(true);
  }, 20_000);

  it('reaches a command behind a shell that does not pass signals on', async () => {
    // `; true` keeps the shell from replacing itself with node: the server is a grandchild.
    const child = bootstrap('exec', 'sh', '-c', `node -e "${server.replaceAll('"', '\\"')}"; true`);
    const port = await serverOf(child);
    child.kill('SIGHUP');
    expect(await portClosesWithin(port, 5_000)).toBe(true);
    // The shell died of SIGHUP (128 + 1) once its server stopped.
    expect((await exitOf(child)).code).toBe(129);
  }, 20_000);

  it('stops `run demo:start --serve` (bootstrap → pnpm → sh → pnpm → sh → node)', async () => {
    const child = bootstrap('run', 'demo:start', '--serve');
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const urls = JSON.parse(await readFirstLine(child, { timeoutMs: 60_000 })) as Record<string, string>;
    const ports = ['app', 'api', 'agent', 'idp'].map((name) => Number(new URL(urls[name] ?? '').port));
    child.kill('SIGTERM');
    await exitOf(child);
    for (const port of ports) expect(await portClosesWithin(port, 10_000), String(port)).toBe(true);
    expect(stderr).not.toMatch(/at .*\(.*:\d+:\d+\)/);
  }, 90_000);
});
