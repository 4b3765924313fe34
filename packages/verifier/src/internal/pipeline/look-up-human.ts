import type { Logger } from '@dual-auth/core';
import type { HumanAuthorization, HumanAuthorizer } from '../../create-static-human-authorizer.ts';
import { Denial } from '../deny.ts';
import { boundedSet } from './verification-cache.ts';

/** What the human authorizer says about `humanId`, at once when its answer is cached. */
export type HumanLookup = (
  humanId: string,
  now: number,
) => HumanAuthorization | undefined | Promise<HumanAuthorization | undefined>;

interface HumanCacheEntry {
  value: Promise<HumanAuthorization | undefined>;
  readonly until: number;
  settled: boolean;
  answer: HumanAuthorization | undefined;
}

/** A frozen copy of a human authorizer's answer, its lists included. */
function ownAnswer(answer: HumanAuthorization | undefined): HumanAuthorization | undefined {
  if (typeof answer !== 'object' || answer === null) return answer;
  const copy = (items: unknown) => (Array.isArray(items) ? Object.freeze([...items]) : items);
  return Object.freeze({
    ...answer,
    roles: copy(answer.roles),
    agents: copy(answer.agents),
  }) as HumanAuthorization;
}

/**
 * The human-lookup stage: asks `authorizer` once per human per `cacheMs` (concurrent requests
 * share one question), keeps at most `maxEntries` answers, and turns a failing authorizer into an
 * `idp_unavailable` refusal that is not cached.
 */
export function createHumanLookup(settings: {
  readonly authorizer: HumanAuthorizer;
  readonly cacheMs: number;
  readonly maxEntries: number;
  readonly logger: Logger;
}): HumanLookup {
  const { authorizer, cacheMs, maxEntries, logger } = settings;
  const cache = new Map<string, HumanCacheEntry>();
  return (humanId, now) => {
    const cached = cache.get(humanId);
    if (cached !== undefined && now < cached.until) return cached.settled ? cached.answer : cached.value;
    const entry: HumanCacheEntry = {
      value: Promise.resolve(undefined),
      until: now + cacheMs,
      settled: false,
      answer: undefined,
    };
    entry.value = Promise.resolve()
      .then(() => authorizer({ humanId }))
      .then(
        (answer) => {
          // Cached and shared (`human.roles` of every decision for this human): a frozen copy,
          // so neither a handler nor the authorizer's own later writes change other decisions.
          const own = ownAnswer(answer);
          entry.settled = true;
          entry.answer = own;
          return own;
        },
        (error: unknown) => {
          cache.delete(humanId);
          logger.warn('human authorizer failed', {
            problem: error instanceof Error ? error.name : 'unknown',
          });
          throw new Denial('idp_unavailable', 'the human authorizer is unavailable', 'human');
        },
      );
    boundedSet(cache, humanId, entry, maxEntries);
    return entry.value;
  };
}
