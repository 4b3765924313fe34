// One agent process of the replica tests: a token cache on a Redis token store, asking a loopback
// token endpoint. It prints `ready`, waits for `go` on stdin (so every replica starts its burst at
// once), makes its calls, prints one JSON line with what it got, and exits. Run with
// `node --conditions=dev-source agent-replica.ts '<json settings>'`.
import { createInterface } from 'node:readline';
import { createTokenCache } from '@dual-auth/client';
import { type IdpAdapter, TokenRequestError, TokenResponse } from '@dual-auth/core';
import { tokenRequestErrorFromResponse } from '@dual-auth/core/oauth';
import { createRedisTokenStore } from '../../src/index.ts';
import { type ReplicaReport, type ReplicaSettings, replicaKey } from './replica-protocol.ts';

const settings = JSON.parse(process.argv[2] ?? '{}') as ReplicaSettings;

// The adapter side of the contract, as any IdP adapter is written: one form POST per request.
const adapter: IdpAdapter = {
  vendor: 'keycloak',
  tokenEndpoint: settings.tokenEndpoint,
  audience: 'https://api.example.com',
  mode: 'agbac',
  async requestToken(params) {
    const response = await fetch(settings.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ agent: params.agentId, human: params.act.sub }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (!response.ok) throw tokenRequestErrorFromResponse(response.status, response.headers, text);
    const body = JSON.parse(text) as { access_token: string; expires_in: number };
    return new TokenResponse({
      accessToken: body.access_token,
      tokenType: 'Bearer',
      expiresIn: body.expires_in,
    });
  },
};

const warnings: string[] = [];
const store = createRedisTokenStore({
  url: settings.redisUrl,
  keyPrefix: settings.keyPrefix,
  ...(settings.leaseMs === undefined ? {} : { leaseMs: settings.leaseMs }),
});
const cache = createTokenCache({
  store,
  logger: { debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} },
});

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => lines.once('line', () => resolve()));

const tokens: Record<string, Set<string>> = {};
const failures: ReplicaReport['failures'][number][] = [];
let next = 0;
await Promise.all(
  Array.from({ length: settings.inFlight }, async () => {
    for (let call = next++; call < settings.calls; call = next++) {
      const index = ((settings.firstKey ?? 0) + call) % settings.keys;
      try {
        const token = await cache.requestToken(adapter, replicaKey(index));
        const seen = tokens[index] ?? new Set<string>();
        seen.add(token.accessToken);
        tokens[index] = seen;
      } catch (error) {
        const typed = error instanceof TokenRequestError ? error : undefined;
        failures.push({
          name: error instanceof Error ? error.name : typeof error,
          ...(typed === undefined ? {} : { code: typed.code }),
          ...(typed?.status === undefined ? {} : { status: typed.status }),
          ...(typed?.oauthError === undefined ? {} : { oauthError: typed.oauthError }),
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }),
);
const report: ReplicaReport = {
  tokens: Object.fromEntries(Object.entries(tokens).map(([index, seen]) => [index, [...seen]])),
  failures,
  warnings,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
await store.close();
lines.close();
