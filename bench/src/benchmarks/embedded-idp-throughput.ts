// Start-up time of the embedded IdP, and its token-endpoint throughput over HTTPS, sequential
// and with 8 requests in flight (client_secret_post, Keycloak profile).
import { performance } from 'node:perf_hooks';
import { startEmbeddedIdp, trustTestCa } from '@dual-auth/testkit';
import { median, printBenchLine } from '../measure.ts';

const startups: number[] = [];
for (let round = 0; round < 5; round++) {
  const started = performance.now();
  const idp = await startEmbeddedIdp();
  startups.push(performance.now() - started);
  await idp.close();
}
process.stdout.write(
  `embedded IdP start-up, all four profiles: median ${median(startups).toFixed(1)} ms (min ${Math.min(...startups).toFixed(1)}, max ${Math.max(...startups).toFixed(1)})\n`,
);

trustTestCa();
const idp = await startEmbeddedIdp({ vendors: ['keycloak'] });
const profile = idp.profile('keycloak');
const agent = profile.agents.find((candidate) => candidate.clientId === 'finance-agent');
const form = () =>
  new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: 'finance-agent',
    client_secret: agent?.clientSecret ?? '',
  });

async function requestToken(): Promise<void> {
  const response = await fetch(profile.tokenEndpoint, { method: 'POST', body: form() });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status}`);
  await response.arrayBuffer();
}

async function rate(concurrency: number, total: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) await requestToken();
    }),
  );
  return (total * 1000) / (performance.now() - started);
}

await rate(8, 400);
const sequential: number[] = [];
const concurrent: number[] = [];
for (let round = 0; round < 5; round++) {
  sequential.push(await rate(1, 400));
  concurrent.push(await rate(8, 800));
}
await idp.close();
const sequentialMedian = median(sequential);
const concurrentMedian = median(concurrent);
process.stdout.write(
  `token requests/s sequential: median ${sequentialMedian.toFixed(0)} (min ${Math.min(...sequential).toFixed(0)}, max ${Math.max(...sequential).toFixed(0)})\n` +
    `token requests/s 8 in flight: median ${concurrentMedian.toFixed(0)} (min ${Math.min(...concurrent).toFixed(0)}, max ${Math.max(...concurrent).toFixed(0)})\n`,
);
printBenchLine({
  name: 'embedded-idp.token-requests.8-in-flight',
  value: concurrentMedian,
  unit: 'req/s',
  reference: 'the same endpoint, sequential',
  ratio: concurrentMedian / sequentialMedian,
  target: 1,
  met: concurrentMedian >= sequentialMedian,
});
