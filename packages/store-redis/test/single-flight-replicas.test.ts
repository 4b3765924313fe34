import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRedis, redisAvailable, startRedis } from './redis-server.ts';
import { startCountingTokenEndpoint } from './replica/counting-token-endpoint.ts';
import { type ReplicaSettings, replicaKey } from './replica/replica-protocol.ts';
import { type RunningReplica, startReplica } from './replica/start-replica.ts';

// Every replica here is a real `node` child process with its own token cache and its own Redis
// connections; they share one redis-server and one loopback token endpoint that counts requests.
describe.skipIf(!redisAvailable)('single-flight across agent processes sharing Redis', () => {
  let redis: RunningRedis;
  let endpoint: Awaited<ReturnType<typeof startCountingTokenEndpoint>>;
  const started: RunningReplica[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    endpoint = await startCountingTokenEndpoint();
  });
  afterAll(async () => {
    for (const replica of started) replica.kill();
    await endpoint?.stop();
    await redis?.stop();
  });

  const replicas = async (count: number, settings: Omit<ReplicaSettings, 'redisUrl' | 'tokenEndpoint'>) => {
    const running = Array.from({ length: count }, (_, index) =>
      startReplica({
        ...settings,
        // Each replica starts its round at another key, so they race on every key from both sides.
        firstKey: (index * 7) % settings.keys,
        redisUrl: redis.url,
        tokenEndpoint: endpoint.url,
      }),
    );
    started.push(...running);
    await Promise.all(running.map((replica) => replica.ready));
    return running;
  };

  it('4 processes × 400 calls over 20 keys make exactly one token request per key', async () => {
    endpoint.received.length = 0;
    Object.assign(endpoint.behaviour, { delayMs: 50, refuseWith: undefined });
    const running = await replicas(4, {
      keyPrefix: `burst:${randomUUID()}:`,
      keys: 20,
      calls: 400,
      inFlight: 8,
    });
    for (const replica of running) replica.go();
    const reports = await Promise.all(running.map((replica) => replica.report));

    expect(endpoint.received).toHaveLength(20);
    const requested = new Set(endpoint.received.map((request) => `${request.agent}/${request.human}`));
    expect(requested.size).toBe(20);
    for (const report of reports) {
      expect(report.failures).toEqual([]);
      expect(report.warnings).toEqual([]);
      for (let index = 0; index < 20; index++) {
        const { agentId, act } = replicaKey(index);
        // One token per key, the same in every process: the one request's answer.
        expect(report.tokens[index]).toHaveLength(1);
        expect(report.tokens[index]?.[0]).toMatch(new RegExp(`^token-\\d+-${agentId}-${act.sub}$`));
      }
    }
    for (let index = 0; index < 20; index++) {
      expect(new Set(reports.map((report) => report.tokens[index]?.[0])).size).toBe(1);
    }
  }, 60_000);

  it('delivers the one IdP failure to every process as the same typed error, without its description', async () => {
    endpoint.received.length = 0;
    const description = 'canary-description-5e1f0a';
    Object.assign(endpoint.behaviour, {
      // Long enough that every process, however late its "go" on a loaded machine, claims while it is held.
      delayMs: 1_500,
      refuseWith: { error: 'invalid_client', description },
    });
    const running = await replicas(4, {
      keyPrefix: `failure:${randomUUID()}:`,
      keys: 1,
      calls: 3,
      inFlight: 3,
    });
    for (const replica of running) replica.go();
    const reports = await Promise.all(running.map((replica) => replica.report));
    Object.assign(endpoint.behaviour, { delayMs: 20, refuseWith: undefined });

    expect(endpoint.received).toHaveLength(1);
    const failures = reports.flatMap((report) => report.failures);
    expect(failures).toHaveLength(12);
    for (const failure of failures) {
      expect(failure).toMatchObject({
        name: 'TokenRequestError',
        code: 'ERR_TOKEN_REQUEST',
        status: 400,
        oauthError: 'invalid_client',
      });
    }
    // The holder's process saw the IdP's own error; the others only its typed fields.
    const elsewhere = failures.filter((failure) => failure.message.includes('another agent process'));
    expect(elsewhere).toHaveLength(9);
    for (const failure of elsewhere) expect(failure.message).not.toContain(description);
    for (const report of reports) expect(report.warnings).toEqual([]);
  }, 60_000);

  it('a waiter takes over within the lease when the holder is killed mid-request', async () => {
    endpoint.received.length = 0;
    Object.assign(endpoint.behaviour, { delayMs: 20, refuseWith: undefined, holdNext: true });
    const leaseMs = 1_000;
    const settings = { keyPrefix: `takeover:${randomUUID()}:`, keys: 1, calls: 1, inFlight: 1, leaseMs };
    const [holder] = await replicas(1, settings);
    const waiters = await replicas(2, settings);
    if (holder === undefined) throw new Error('no holder');
    const firstRequest = endpoint.nextRequest(10_000);
    holder.go();
    await firstRequest;
    for (const waiter of waiters) waiter.go();
    // Let the waiters claim the key and find it held.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const secondRequest = endpoint.nextRequest(leaseMs + 5_000);
    const killedAt = performance.now();
    holder.kill();
    const takeover = await secondRequest;
    const reports = await Promise.all(waiters.map((waiter) => waiter.report));

    // Within the lease, plus one poll (≤ 200 ms) and the scheduling delays of a loaded machine.
    expect(takeover.at - killedAt).toBeLessThanOrEqual(leaseMs + 1_500);
    expect(endpoint.received).toHaveLength(2);
    const tokens = reports.map((report) => report.tokens[0]);
    expect(tokens[0]).toEqual(['token-2-agent-0-human-0']);
    expect(tokens[1]).toEqual(['token-2-agent-0-human-0']);
    for (const report of reports) expect(report.failures).toEqual([]);
  }, 60_000);
});
