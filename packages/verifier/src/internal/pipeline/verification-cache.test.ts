import { describe, expect, it } from 'vitest';
import { type CachedVerification, createVerificationCache } from './verification-cache.ts';

const settings = { enabled: true, maxEntries: 10, skewSeconds: 30 };
const nowMs = 1_800_000_000_000;
const entry = (key: string): CachedVerification => ({
  key,
  exp: nowMs / 1000 + 60,
  cachedUntil: nowMs + 60_000,
});

describe('createVerificationCache', () => {
  it('answers only for the full string, whatever the ending it shares with another', () => {
    const cache = createVerificationCache(settings);
    const first = entry('header.payload-one.sig-ABCD');
    cache.remember(first);
    expect(cache.fresh('header.payload-two.sig-ABCD', nowMs)).toBeUndefined();
    expect(cache.fresh('header.payload-one.sig-ABCD', nowMs)).toBe(first);
    const second = entry('header.payload-two.sig-ABCD');
    cache.remember(second);
    expect(cache.fresh('header.payload-two.sig-ABCD', nowMs)).toBe(second);
    expect(cache.fresh('header.payload-one.sig-ABCD', nowMs)).toBeUndefined();
  });

  it('keeps values shorter than its slot and tells them apart', () => {
    const cache = createVerificationCache(settings);
    const short = entry('ab');
    cache.remember(short);
    expect(cache.fresh('ab', nowMs)).toBe(short);
    expect(cache.fresh('b', nowMs)).toBeUndefined();
    expect(cache.fresh('', nowMs)).toBeUndefined();
  });

  it('never answers past exp (with the skew) or cachedUntil', () => {
    const cache = createVerificationCache(settings);
    const held = entry('header.payload.signature');
    cache.remember(held);
    expect(cache.fresh(held.key, nowMs + 59_999)).toBe(held);
    expect(cache.fresh(held.key, nowMs + 60_000)).toBeUndefined();
    const expiring = {
      ...entry('header.payload.other'),
      exp: nowMs / 1000 - 29,
      cachedUntil: nowMs + 600_000,
    };
    cache.remember(expiring);
    expect(cache.fresh(expiring.key, nowMs)).toBe(expiring);
    expect(cache.fresh(expiring.key, nowMs + 1_000)).toBeUndefined();
  });
});
