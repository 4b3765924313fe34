// Target 3 (bench/README.md): the agent's token cache against the embedded IdP (Keycloak profile, HTTPS,
// agbac mode with client_secret_jwt). 10,000 InSessionTokenRequest.requestToken calls through a fresh
// createTokenCache over 50 distinct (agent, human, scope) keys, 16 in flight, must make exactly 50
// IdP token requests; their wall time is compared with the 50 uncached adapter requests alone (same
// keys, same 16 in flight), measured in the same run, alternating which goes first. The IdP runs in
// its own process (the testkit's dual-auth-idp bin), as a real IdP does not share the agent's thread.
import { performance } from 'node:perf_hooks';
import { KeycloakAdapter } from '@dual-auth/adapter-keycloak';
import { createTokenCache, InSessionTokenRequest } from '@dual-auth/client';
import { Secret, type TokenRequestParams } from '@dual-auth/core';
import { testConfig, trustTestCa } from '@dual-auth/testkit';
import { startBenchKeycloakIdp } from '../embedded-keycloak-idp.ts';
import { median, printBenchLine } from '../measure.ts';

const KEYS = 50;
const CALLS = 10_000;
const IN_FLIGHT = 16;
const ROUNDS = 7;
const TARGET_TIME_RATIO = 1.2; // cached run ≤ 1.2 × the 50 uncached requests

trustTestCa();
const idp = await startBenchKeycloakIdp(KEYS);
const { agent, keys } = idp;
let idpRequestsMade = 0;
const countingFetch: typeof fetch = (input, init) => {
  idpRequestsMade++;
  return fetch(input, init);
};
const config = testConfig({
  vendor: 'keycloak',
  tokenUrl: idp.tokenEndpoint,
  clientId: agent.clientId,
  clientSecret: new Secret(agent.clientSecret),
});
const adapter = new KeycloakAdapter(config, { retry: { limit: 0 }, fetch: countingFetch });

/** Runs `total` calls of `call(index)` with `IN_FLIGHT` workers; returns the wall time in ms. */
async function timed(total: number, call: (index: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let index = next++; index < total; index = next++) await call(index);
    }),
  );
  return performance.now() - started;
}

/**
 * 10,000 calls through a fresh cache: the wall time and how many IdP requests it made; then, for
 * the diagnosis, 10,000 more on the now warm cache (hits only, no IdP request).
 */
async function cachedRun(): Promise<{ ms: number; idpRequests: number; warmMs: number }> {
  const tokenRequest = new InSessionTokenRequest({ adapter, cache: createTokenCache() });
  const before = idpRequestsMade;
  const call = (index: number) => tokenRequest.requestToken(keys[index % KEYS] as TokenRequestParams);
  const ms = await timed(CALLS, call);
  const idpRequests = idpRequestsMade - before;
  const warmMs = await timed(CALLS, call);
  if (idpRequestsMade - before !== idpRequests) throw new Error('a warm cache asked the IdP');
  return { ms, idpRequests, warmMs };
}

/** The reference: the 50 uncached requests alone, straight to the adapter. */
async function uncachedRun(): Promise<number> {
  return timed(KEYS, (index) => adapter.requestToken(keys[index] as TokenRequestParams));
}

// Warm-up (JIT, TLS sessions, the IdP's first tokens), not measured.
await uncachedRun();
await cachedRun();

const cachedTimes: number[] = [];
const warmTimes: number[] = [];
const uncachedTimes: number[] = [];
const timeRatios: number[] = [];
const idpRequestCounts: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  // Alternate who goes first, so drift in machine load does not favour one side.
  let cached: { ms: number; idpRequests: number; warmMs: number };
  let uncached: number;
  if (round % 2 === 0) {
    cached = await cachedRun();
    uncached = await uncachedRun();
  } else {
    uncached = await uncachedRun();
    cached = await cachedRun();
  }
  cachedTimes.push(cached.ms);
  warmTimes.push(cached.warmMs);
  uncachedTimes.push(uncached);
  timeRatios.push(cached.ms / uncached);
  idpRequestCounts.push(cached.idpRequests);
}
await idp.stop();

const format = (values: readonly number[]) =>
  `median ${median(values).toFixed(1)} ms (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`;
const timeRatio = median(timeRatios);
const exactlyOnePerKey = idpRequestCounts.every((count) => count === KEYS);
process.stdout.write(
  'client.token-cache (Keycloak profile in its own process, HTTPS, client_secret_jwt)\n' +
    `  ${CALLS.toLocaleString('en-US')} requestToken calls, ${KEYS} keys, ${IN_FLIGHT} in flight, fresh cache: ${format(cachedTimes)}\n` +
    `  the same ${CALLS.toLocaleString('en-US')} calls on the warm cache (hits only): ${format(warmTimes)}, ${((median(warmTimes) * 1000) / CALLS).toFixed(1)} µs per hit\n` +
    `  ${KEYS} uncached adapter requests, ${IN_FLIGHT} in flight: ${format(uncachedTimes)}\n` +
    `  IdP token requests per cached run: ${idpRequestCounts.join(', ')} (must be exactly ${KEYS}) ${exactlyOnePerKey ? 'ok' : 'WRONG'}\n` +
    `  time ratio cached/uncached: median ${timeRatio.toFixed(3)} (per round ${timeRatios.map((r) => r.toFixed(3)).join(', ')}); target ≤ ${TARGET_TIME_RATIO} ${timeRatio <= TARGET_TIME_RATIO ? 'met' : 'NOT met'}\n`,
);
// Output contract: higher is better, so the figure is the speed ratio (uncached time / cached time),
// whose target is 1 / 1.2.
printBenchLine({
  name: 'client.token-cache.10k-calls-50-keys',
  value: (CALLS * 1000) / median(cachedTimes),
  unit: 'calls/s',
  reference: `${KEYS} uncached adapter requests (same keys, ${IN_FLIGHT} in flight)`,
  ratio: 1 / timeRatio,
  target: Number((1 / TARGET_TIME_RATIO).toFixed(3)),
  met: timeRatio <= TARGET_TIME_RATIO,
});
printBenchLine({
  name: 'client.token-cache.idp-requests',
  value: median(idpRequestCounts),
  unit: 'requests',
  reference: `${KEYS} distinct keys`,
  ratio: KEYS / Math.max(...idpRequestCounts),
  target: 1,
  met: exactlyOnePerKey,
});
if (!exactlyOnePerKey) process.exitCode = 1;
