// Target 6 (bench/README.md): single-flight across agent replicas. 8 agent processes, each with its
// own createTokenCache on a createRedisTokenStore, share one redis-server and the embedded IdP
// (Keycloak profile, in its own process, HTTPS, client_secret_jwt). Together they make 10,000
// requestToken calls over 50 distinct (agent, human, scope) keys — 1,250 each, 16 in flight in
// each — through a fresh key prefix (an empty shared cache), and must make exactly 50 IdP token
// requests, every process holding the same one token per key. The reference is one agent process
// making the same 10,000 calls, 16 in flight, on the same Redis, measured in the same run in
// alternating order. Wall time runs from "go" (every process connected and waiting) to the last
// report; process start-up is not in it. This file is also the agent process (`--replica`).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { KeycloakAdapter } from '@dual-auth/adapter-keycloak';
import { createTokenCache, InSessionTokenRequest } from '@dual-auth/client';
import { Secret, type TokenRequestParams } from '@dual-auth/core';
import { createRedisTokenStore } from '@dual-auth/store-redis';
import { testConfig, trustTestCa } from '@dual-auth/testkit';
import { startBenchKeycloakIdp } from '../embedded-keycloak-idp.ts';
import { median, printBenchLine } from '../measure.ts';

const KEYS = 50;
const CALLS = 10_000;
const PROCESSES = 8;
const IN_FLIGHT = 16;
const ROUNDS = 5;
// Our target, set before measuring: 8 processes finish the burst in at most twice one process's time.
const TARGET_SPEED_RATIO = 0.5;
const REDIS_SERVER = '/usr/bin/redis-server';

/** What the benchmark sends one agent process on its stdin (the client secret never goes in argv). */
interface ReplicaSettings {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly keys: readonly TokenRequestParams[];
  readonly calls: number;
  readonly firstKey: number;
}

/** What one agent process reports: its IdP requests, and the one token it holds per key. */
interface ReplicaReport {
  readonly idpRequests: number;
  readonly failures: number;
  readonly tokenPerKey: readonly (string | null)[];
  /** The token cache's warnings (each a fallback to the IdP), counted by message. */
  readonly warnings: Record<string, number>;
}

const nextLine = (lines: Interface) =>
  new Promise<string>((resolve) => lines.once('line', (line: string) => resolve(line)));

async function runReplica(): Promise<void> {
  trustTestCa();
  const lines = createInterface({ input: process.stdin });
  const settings = JSON.parse(await nextLine(lines)) as ReplicaSettings;
  let idpRequests = 0;
  const countingFetch: typeof fetch = (input, init) => {
    // The benchmark kills a process once it is mid-request, holding a lease.
    if (idpRequests++ === 0) process.stdout.write('requesting\n');
    return fetch(input, init);
  };
  const config = testConfig({
    vendor: 'keycloak',
    tokenUrl: settings.tokenEndpoint,
    clientId: settings.clientId,
    clientSecret: new Secret(settings.clientSecret),
  });
  const adapter = new KeycloakAdapter(config, { retry: { limit: 0 }, fetch: countingFetch });
  const store = createRedisTokenStore({ url: settings.redisUrl, keyPrefix: settings.keyPrefix });
  const warnings: Record<string, number> = {};
  const logger = {
    debug() {},
    info() {},
    warn: (message: string, fields?: Record<string, unknown>) => {
      const line = fields?.error === undefined ? message : `${message} (${String(fields.error)})`;
      warnings[line] = (warnings[line] ?? 0) + 1;
    },
    error() {},
  };
  const tokenRequest = new InSessionTokenRequest({ adapter, cache: createTokenCache({ store, logger }) });
  // Connect before "go": the wall time measures the burst, not the connection set-up.
  await store.get('warm-up');
  process.stdout.write('ready\n');
  await nextLine(lines);
  const tokens = new Map<number, Set<string>>();
  let failures = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let call = next++; call < settings.calls; call = next++) {
        const index = (settings.firstKey + call) % settings.keys.length;
        try {
          const token = await tokenRequest.requestToken(settings.keys[index] as TokenRequestParams);
          const seen = tokens.get(index) ?? new Set<string>();
          seen.add(token.accessToken);
          tokens.set(index, seen);
        } catch {
          failures++;
        }
      }
    }),
  );
  // A key served two different tokens in one process counts as no single token (null).
  const tokenPerKey = settings.keys.map((_, index) => {
    const seen = [...(tokens.get(index) ?? [])];
    return seen.length === 1 ? (seen[0] ?? null) : null;
  });
  const report: ReplicaReport = { idpRequests, failures, tokenPerKey, warnings };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  lines.close();
  await store.close();
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function startRedisServer(): Promise<{ url: string; process: ChildProcess; directory: string }> {
  if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} is missing: apt-get install redis-server`);
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'dual-auth-bench-redis-'));
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', directory],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start')), 10_000);
    lines.on('line', (line) => {
      if (line.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, process: child, directory };
}

async function runBenchmark(): Promise<void> {
  const idp = await startBenchKeycloakIdp(KEYS);
  const redis = await startRedisServer();
  const children = new Set<ChildProcess>();
  try {
    const { agent, keys } = idp;
    const script = fileURLToPath(import.meta.url);
    let round = 0;

    /**
     * `processes` agent processes share `CALLS` calls on a fresh key prefix; wall time from "go" to
     * the last report. With `killFirst`, the first process is killed (SIGKILL) as soon as it is
     * asking the IdP — holding that key's lease mid-request — and only the others report.
     */
    const burst = async (processes: number, killFirst = false) => {
      const keyPrefix = `bench:${process.pid}:${round++}:`;
      const replicas = Array.from({ length: processes }, (_, index) => {
        const child = spawn(process.execPath, ['--conditions=dev-source', script, '--replica'], {
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        children.add(child);
        const settings: ReplicaSettings = {
          tokenEndpoint: idp.tokenEndpoint,
          clientId: agent.clientId,
          clientSecret: agent.clientSecret,
          redisUrl: redis.url,
          keyPrefix,
          keys,
          calls: CALLS / processes,
          firstKey: (index * 7) % KEYS,
        };
        child.stdin?.write(`${JSON.stringify(settings)}\n`);
        const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
        const signals = { ready: () => {}, requesting: () => {} };
        const ready = new Promise<void>((resolve) => {
          signals.ready = resolve;
        });
        const requesting = new Promise<void>((resolve) => {
          signals.requesting = resolve;
        });
        const report = new Promise<ReplicaReport>((resolve, reject) => {
          lines.on('line', (line: string) => {
            if (line === 'ready') signals.ready();
            else if (line === 'requesting') signals.requesting();
            else if (line.startsWith('{')) resolve(JSON.parse(line) as ReplicaReport);
          });
          child.once('exit', (code, signal) =>
            reject(new Error(`agent process ended (${code ?? signal}) without a report`)),
          );
        });
        // The killed process never reports; the others' reports are awaited below.
        report.catch(() => undefined);
        const exited = once(child, 'exit').then(() => children.delete(child));
        return { child, ready, requesting, report, exited };
      });
      const timeout = setTimeout(() => {
        for (const { child } of replicas) child.kill('SIGKILL');
      }, 120_000);
      await Promise.all(replicas.map((replica) => Promise.race([replica.ready, replica.report])));
      const started = performance.now();
      for (const { child } of replicas) child.stdin?.write('go\n');
      if (killFirst) {
        await Promise.race([replicas[0]?.requesting, replicas[0]?.report]);
        replicas[0]?.child.kill('SIGKILL');
      }
      const survivors = killFirst ? replicas.slice(1) : replicas;
      const reports = await Promise.all(survivors.map((replica) => replica.report));
      const ms = performance.now() - started;
      clearTimeout(timeout);
      await Promise.all(replicas.map((replica) => replica.exited));
      const idpRequests = reports.reduce((total, report) => total + report.idpRequests, 0);
      const failures = reports.reduce((total, report) => total + report.failures, 0);
      // Single-flight held when every process holds one token per key, the same in all of them.
      const sameTokenEverywhere = keys.every((_, index) => {
        const seen = new Set(reports.map((report) => report.tokenPerKey[index]));
        return seen.size === 1 && !seen.has(null);
      });
      const warnings = reports.flatMap((report) =>
        Object.entries(report.warnings).map(([message, count]) => `${count}× ${message}`),
      );
      return { ms, idpRequests, failures, sameTokenEverywhere, warnings };
    };

    // Warm-up (the IdP's JIT and first tokens, redis-server), not measured.
    await burst(1);
    await burst(PROCESSES);

    const replicaTimes: number[] = [];
    const singleTimes: number[] = [];
    const ratios: number[] = [];
    const replicaCounts: number[] = [];
    const singleCounts: number[] = [];
    let allConsistent = true;
    let failures = 0;
    const warnings: string[] = [];
    for (let measured = 0; measured < ROUNDS; measured++) {
      // Alternate who goes first, so drift in machine load does not favour one side.
      const [replicas, single] =
        measured % 2 === 0
          ? [await burst(PROCESSES), await burst(1)]
          : await (async () => {
              const first = await burst(1);
              return [await burst(PROCESSES), first] as const;
            })();
      replicaTimes.push(replicas.ms);
      singleTimes.push(single.ms);
      ratios.push(single.ms / replicas.ms);
      replicaCounts.push(replicas.idpRequests);
      singleCounts.push(single.idpRequests);
      allConsistent &&= replicas.sameTokenEverywhere && single.sameTokenEverywhere;
      failures += replicas.failures + single.failures;
      warnings.push(...replicas.warnings, ...single.warnings);
    }

    // No waiter stuck when a holder dies: its leases expire (5 s by default) and the survivors take over.
    const killed = await burst(PROCESSES, true);

    const format = (values: readonly number[]) =>
      `median ${median(values).toFixed(1)} ms (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`;
    const speedRatio = median(ratios);
    const exactlyOnePerKey =
      replicaCounts.every((count) => count === KEYS) && allConsistent && failures === 0;
    const survivedKill = killed.sameTokenEverywhere && killed.failures === 0;
    process.stdout.write(
      'client.token-cache.replicas (Keycloak profile in its own process, HTTPS, client_secret_jwt; one redis-server)\n' +
        `  ${PROCESSES} agent processes × ${CALLS / PROCESSES} calls (${IN_FLIGHT} in flight each), ${KEYS} keys, fresh shared cache: ${format(replicaTimes)}\n` +
        `  1 agent process × ${CALLS} calls (${IN_FLIGHT} in flight), same Redis store: ${format(singleTimes)}\n` +
        `  IdP token requests, ${PROCESSES} processes together, per round: ${replicaCounts.join(', ')} (must be exactly ${KEYS}) ${exactlyOnePerKey ? 'ok' : 'WRONG'}\n` +
        `  IdP token requests, 1 process, per round: ${singleCounts.join(', ')}\n` +
        `  every process holds the same one token per key: ${allConsistent ? 'yes' : 'NO'}; failed calls: ${failures}; fallbacks to the IdP: ${warnings.length === 0 ? 'none' : warnings.join('; ')}\n` +
        `  one process killed (SIGKILL) mid-request, holding leases: the ${PROCESSES - 1} others finished in ${killed.ms.toFixed(0)} ms (lease 5,000 ms), ${killed.idpRequests} IdP requests among them, same token per key ${killed.sameTokenEverywhere ? 'yes' : 'NO'}, failed calls ${killed.failures}${killed.warnings.length === 0 ? '' : `; warnings: ${killed.warnings.join('; ')}`}\n` +
        `  wall time ${PROCESSES} processes / 1 process: median ${(1 / speedRatio).toFixed(3)} (per round ${ratios.map((ratio) => (1 / ratio).toFixed(3)).join(', ')}); target ≤ ${1 / TARGET_SPEED_RATIO} ${speedRatio >= TARGET_SPEED_RATIO ? 'met' : 'NOT met'}\n`,
    );
    // Output contract: higher is better, so the figure is the speed ratio (one process's time / 8 processes' time).
    printBenchLine({
      name: 'client.token-cache.replicas.10k-calls-50-keys-8-processes',
      value: (CALLS * 1000) / median(replicaTimes),
      unit: 'calls/s',
      reference: `1 agent process, the same ${CALLS} calls on the same Redis`,
      ratio: speedRatio,
      target: TARGET_SPEED_RATIO,
      met: speedRatio >= TARGET_SPEED_RATIO,
    });
    printBenchLine({
      name: 'client.token-cache.replicas.idp-requests',
      value: median(replicaCounts),
      unit: 'requests',
      reference: `${KEYS} distinct keys across ${PROCESSES} processes`,
      ratio: KEYS / Math.max(...replicaCounts),
      target: 1,
      met: exactlyOnePerKey,
    });
    printBenchLine({
      name: 'client.token-cache.replicas.holder-killed',
      value: killed.ms,
      unit: 'ms',
      reference: `${PROCESSES - 1} surviving processes, every key served, lease 5,000 ms`,
      ratio: survivedKill ? 1 : 0,
      target: 1,
      met: survivedKill,
    });
    if (!exactlyOnePerKey || !survivedKill) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill('SIGKILL');
    redis.process.kill('SIGTERM');
    await Promise.all([idp.stop(), once(redis.process, 'exit')]);
    rmSync(redis.directory, { recursive: true, force: true });
  }
}

if (process.argv.includes('--replica')) await runReplica();
else await runBenchmark();
