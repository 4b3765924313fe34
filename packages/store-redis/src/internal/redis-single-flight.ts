import type {
  Clock,
  TokenFlightFailure,
  TokenFlightOutcome,
  TokenLease,
  TokenResponse,
  TokenSingleFlight,
} from '@dual-auth/core';
import type { Redis } from 'ioredis';
import {
  decodeOutcomeRecord,
  encodeOutcomeRecord,
  type FlightOutcomeRecord,
} from './flight-outcome-record.ts';
import { CLAIM_LEASE, RENEW_LEASE, SETTLE_LEASE } from './lease-scripts.ts';
import type { RedisConnection } from './redis-connection.ts';
import { decodeStoredToken, encodeStoredToken } from './stored-token.ts';

/** What the Redis single-flight needs from its token store. */
export interface RedisSingleFlightSettings {
  readonly connection: RedisConnection;
  readonly keyPrefix: string;
  /** A lease not renewed for this long expires: how soon waiters take over from a dead holder. */
  readonly leaseMs: number;
  /** Longest a waiter waits for one holder before it gives up (`timed_out`). */
  readonly maxWaitMs: number;
  readonly clock: Clock;
  /** Runs one Redis command, mapping its failure to a `TokenStoreError`. */
  readonly run: <T>(what: string, command: (client: Redis) => Promise<T>) => Promise<T>;
}

/** The single-flight with `close()`, which stops the renewals and the subscription. */
export type RedisSingleFlight = TokenSingleFlight & { close(): void };

const FIRST_POLL_MS = 5;
const LONGEST_POLL_MS = 200;
const MAXIMUM_FAILED_POLLS = 3;

/**
 * Cross-process single-flight on Redis. A lease is a `SET NX PX` key holding a random owner id,
 * renewed every third of its lifetime while its holder lives; settling it is one Lua script that
 * stores the token (or a failure record naming the owner), deletes the lease only if this owner
 * still holds it, and publishes the key on one channel. Waiters wake on that message, and also
 * poll with a backoff capped at 200 ms — a holder killed mid-request publishes nothing, and its
 * lease simply expires.
 */
export function createRedisSingleFlight(settings: RedisSingleFlightSettings): RedisSingleFlight {
  const { connection, keyPrefix, leaseMs, maxWaitMs, clock, run } = settings;
  const channel = `${keyPrefix}flights`;
  const leaseKey = (key: string) => `${keyPrefix}lease:${key}`;
  const outcomeKey = (key: string) => `${keyPrefix}outcome:${key}`;
  const tokenKey = (key: string) => `${keyPrefix}${key}`;
  // A waiter polls at least every 200 ms, so a record kept a lease's lifetime (at least 2 s) is read.
  const recordMs = Math.max(leaseMs, 2_000);
  const wakers = new Map<string, Set<() => void>>();
  const renewals = new Set<ReturnType<typeof setInterval>>();
  let subscription: Promise<void> | undefined;

  // One subscription per store; waking is a speed-up only, so a failed subscribe leaves polling.
  const subscribe = (): Promise<void> => {
    subscription ??= (async () => {
      const subscriber = connection.subscriber();
      subscriber.on('message', (_channel: string, key: string) => {
        for (const wake of wakers.get(key) ?? []) wake();
      });
      await connection.bounded(subscriber.subscribe(channel));
    })().catch(() => undefined);
    return subscription;
  };

  const settle = async (
    key: string,
    owner: string,
    record: FlightOutcomeRecord | undefined,
    token?: string,
    tokenMs?: number,
  ) => {
    await run('settle lease', (client) =>
      client.eval(
        SETTLE_LEASE,
        3,
        leaseKey(key),
        outcomeKey(key),
        tokenKey(key),
        owner,
        record === undefined ? '' : encodeOutcomeRecord(record),
        recordMs,
        channel,
        key,
        token ?? '',
        tokenMs ?? 0,
      ),
    );
  };

  const holdLease = (key: string, owner: string): TokenLease => {
    const renewal = setInterval(
      () => {
        run<number>(
          'renew lease',
          (client) => client.eval(RENEW_LEASE, 1, leaseKey(key), owner, leaseMs) as Promise<number>,
        )
          .then((renewed) => {
            if (renewed !== 1) stopRenewal();
          })
          .catch(() => undefined);
      },
      Math.max(Math.floor(leaseMs / 3), 1),
    );
    renewal.unref?.();
    renewals.add(renewal);
    let settled = false;
    function stopRenewal() {
      clearInterval(renewal);
      renewals.delete(renewal);
    }
    const once = async (end: () => Promise<void>) => {
      if (settled) return;
      settled = true;
      stopRenewal();
      await end();
    };
    return Object.freeze({
      fulfil: (token: TokenResponse) =>
        once(async () => {
          const stored = encodeStoredToken(token, clock());
          // An already expired token is not stored: the waiters see the lease end and claim again.
          if (stored === undefined) await settle(key, owner, undefined);
          else await settle(key, owner, { owner, result: 'stored' }, stored.text, stored.ttlMs);
        }),
      fail: (failure: TokenFlightFailure) =>
        once(() => settle(key, owner, { owner, result: 'failed', failure })),
      release: () => once(() => settle(key, owner, undefined)),
    });
  };

  /** The outcome of `owner`'s flight on `key`, or `undefined` while it still holds the lease. */
  const check = async (key: string, owner: string): Promise<TokenFlightOutcome | undefined> => {
    const [recordText, leaseOwner] = await run<(string | null)[]>('read lease', (client) =>
      client.mget(outcomeKey(key), leaseKey(key)),
    );
    const record = decodeOutcomeRecord(recordText ?? null);
    if (record?.owner === owner) {
      if (record.result === 'failed') return { kind: 'failed', failure: record.failure };
      const text = await run<string | null>('get', (client) => client.get(tokenKey(key)));
      const token = text === null ? undefined : decodeStoredToken(text);
      return token !== undefined && token.expiresAt > clock()
        ? { kind: 'token', token }
        : { kind: 'abandoned' };
    }
    return leaseOwner === owner ? undefined : { kind: 'abandoned' };
  };

  const waitFor = async (key: string, owner: string): Promise<TokenFlightOutcome> => {
    await subscribe();
    const deadline = performance.now() + maxWaitMs;
    let failedPolls = 0;
    let woken = false;
    let wakeNow: (() => void) | undefined;
    const onMessage = () => {
      woken = true;
      wakeNow?.();
    };
    const forKey = wakers.get(key) ?? new Set();
    forKey.add(onMessage);
    wakers.set(key, forKey);
    try {
      for (let pollMs = FIRST_POLL_MS; ; pollMs = Math.min(pollMs * 2, LONGEST_POLL_MS)) {
        woken = false;
        try {
          const outcome = await check(key, owner);
          if (outcome !== undefined) return outcome;
          failedPolls = 0;
        } catch (error) {
          // One slow or failed poll (a loaded Redis) is not worth an IdP request; several in a row are.
          if (++failedPolls >= MAXIMUM_FAILED_POLLS) throw error;
        }
        const left = deadline - performance.now();
        if (left <= 0) return { kind: 'timed_out' };
        if (!woken) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.min(pollMs, left));
            wakeNow = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wakeNow = undefined;
        }
      }
    } finally {
      forKey.delete(onMessage);
      if (forKey.size === 0 && wakers.get(key) === forKey) wakers.delete(key);
    }
  };

  return Object.freeze({
    async claim(key: string) {
      const owner = crypto.randomUUID();
      const [taken, holder] = await run<[number, string | null]>(
        'claim lease',
        (client) =>
          client.eval(CLAIM_LEASE, 1, leaseKey(key), owner, leaseMs) as Promise<[number, string | null]>,
      );
      if (taken === 1) return { role: 'holder' as const, lease: holdLease(key, owner) };
      const heldBy = typeof holder === 'string' ? holder : '';
      return { role: 'waiter' as const, wait: () => waitFor(key, heldBy) };
    },
    close() {
      for (const renewal of renewals) clearInterval(renewal);
      renewals.clear();
    },
  });
}
