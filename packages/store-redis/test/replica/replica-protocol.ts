import type { TokenRequestParams } from '@dual-auth/core';

/** What the test tells one replica to do. */
export interface ReplicaSettings {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly tokenEndpoint: string;
  /** Calls go to keys 0…keys-1 in turn, starting at `firstKey`. */
  readonly keys: number;
  readonly firstKey?: number;
  readonly calls: number;
  readonly inFlight: number;
  readonly leaseMs?: number;
}

/** What one replica prints when done. */
export interface ReplicaReport {
  /** Distinct access tokens received per key index. */
  readonly tokens: Record<string, string[]>;
  readonly failures: readonly {
    readonly name: string;
    readonly code?: string;
    readonly status?: number;
    readonly oauthError?: string;
    readonly message: string;
  }[];
  readonly warnings: readonly string[];
}

/** The (agent, human, scope) of key `index`, as the token endpoint reads it back. */
export function replicaKey(index: number): TokenRequestParams {
  return { agentId: `agent-${index % 5}`, act: { sub: `human-${index}` }, scope: ['read'] };
}
