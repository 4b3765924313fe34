/** What every cached verification records: the full string it is for and how long it holds. */
export interface CachedVerification {
  /** The full header value or token this verification is for. */
  readonly key: string;
  /** The token's `exp`, seconds. */
  readonly exp: number;
  /** Milliseconds after which the entry is verified again, whatever `exp` says. */
  readonly cachedUntil: number;
}

/** A bounded cache of verifications, checked for expiry on every read. */
export interface VerificationCache<T extends CachedVerification> {
  /** The verification of exactly `key` (the full string, compared whole), if still valid at `now`. */
  fresh(key: string, now: number): T | undefined;
  /** Keeps `entry` (a no-op when the cache is disabled). */
  remember(entry: T): void;
}

/**
 * Where a token's verification sits in a cache: a number made of the last four characters of its
 * signature (base64url, 24 random bits). Keying a map by a fresh header string hashes it on every
 * request (about 2 µs for a 1 KB token), and even a 48-character tail of it cost a sixth of a cached
 * decision; a small integer is hashed at once. The entry found there is used only when its full
 * string equals the token, so the cache stays keyed by the full token, never by a part of it: two
 * tokens sharing a slot merely evict each other (for 10,000 entries, about one insert in 1,700).
 */
function cacheSlot(value: string): number {
  const end = value.length;
  // A character past either end reads as NaN, which `|` turns into 0: a short value is still a slot.
  return (
    (value.charCodeAt(end - 1) |
      (value.charCodeAt(end - 2) << 7) |
      (value.charCodeAt(end - 3) << 14) |
      (value.charCodeAt(end - 4) << 21)) &
    0xfffffff
  );
}

/** Keeps the newest `maxEntries` values, dropping the oldest inserted first. */
export function boundedSet<K, V>(cache: Map<K, V>, key: K, value: V, maxEntries: number): void {
  if (cache.size >= maxEntries) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(key, value);
}

/** A {@link VerificationCache}; never returns an entry past its `exp` (with the skew) or `cachedUntil`. */
export function createVerificationCache<T extends CachedVerification>(settings: {
  readonly enabled: boolean;
  readonly maxEntries: number;
  readonly skewSeconds: number;
}): VerificationCache<T> {
  const { enabled, maxEntries, skewSeconds } = settings;
  const entries = new Map<number, T>();
  return {
    fresh(key, now) {
      if (!enabled) return undefined;
      const slot = cacheSlot(key);
      const cached = entries.get(slot);
      if (cached === undefined || cached.key !== key) return undefined;
      if (cached.exp > Math.floor(now / 1000) - skewSeconds && now < cached.cachedUntil) return cached;
      entries.delete(slot);
      return undefined;
    },
    remember(entry) {
      if (enabled) boundedSet(entries, cacheSlot(entry.key), entry, maxEntries);
    },
  };
}
