/**
 * The one source of time: milliseconds since the epoch, like `Date.now`. Inject a fixed or manual
 * clock in tests; everything time-dependent in dual-auth takes one.
 *
 * @example
 * ```ts
 * const frozen: Clock = () => Date.parse('2026-01-01T00:00:00Z');
 * ```
 */
export type Clock = () => number;

/**
 * The system clock.
 *
 * @example
 * ```ts
 * const nowSeconds = Math.floor(systemClock() / 1000);
 * ```
 */
export const systemClock: Clock = () => Date.now();

/**
 * Default tolerance, in seconds, for `exp`, `nbf` and `iat` checks between machines.
 *
 * @example
 * ```ts
 * const expired = nowSeconds > exp + DEFAULT_CLOCK_SKEW_SECONDS;
 * ```
 */
export const DEFAULT_CLOCK_SKEW_SECONDS = 30;

/**
 * Largest skew dual-auth accepts: more would make expiry meaningless.
 *
 * @example
 * ```ts
 * resolveTimeOptions({ clockSkewSeconds: MAXIMUM_CLOCK_SKEW_SECONDS }); // the most accepted
 * ```
 */
export const MAXIMUM_CLOCK_SKEW_SECONDS = 300;

/**
 * The time settings every time-dependent component takes.
 *
 * @example
 * ```ts
 * const options: TimeOptions = { clock: () => Date.parse('2026-01-01T00:00:00Z'), clockSkewSeconds: 10 };
 * ```
 */
export interface TimeOptions {
  /** Source of the current time (default {@link systemClock}). */
  readonly clock?: Clock;
  /** Tolerance for time claims, 0–300 seconds (default {@link DEFAULT_CLOCK_SKEW_SECONDS}). */
  readonly clockSkewSeconds?: number;
}

/**
 * {@link TimeOptions} with every default applied.
 *
 * @example
 * ```ts
 * const { clock, clockSkewSeconds }: ResolvedTimeOptions = resolveTimeOptions();
 * ```
 */
export interface ResolvedTimeOptions {
  readonly clock: Clock;
  readonly clockSkewSeconds: number;
}

/**
 * Applies defaults to {@link TimeOptions} and rejects a non-function clock or a skew outside 0–300 s
 * with a `TypeError` (misuse, caught at construction).
 *
 * @example
 * ```ts
 * const { clock, clockSkewSeconds } = resolveTimeOptions(options);
 * const nowSeconds = Math.floor(clock() / 1000);
 * ```
 */
export function resolveTimeOptions(options: TimeOptions = {}): ResolvedTimeOptions {
  const clock = options.clock ?? systemClock;
  if (typeof clock !== 'function')
    throw new TypeError('clock must be a function returning epoch milliseconds');
  const clockSkewSeconds = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  if (
    !Number.isFinite(clockSkewSeconds) ||
    clockSkewSeconds < 0 ||
    clockSkewSeconds > MAXIMUM_CLOCK_SKEW_SECONDS
  ) {
    throw new TypeError(`clockSkewSeconds must be between 0 and ${MAXIMUM_CLOCK_SKEW_SECONDS}`);
  }
  return { clock, clockSkewSeconds };
}

/**
 * A clock for tests that only moves when told to.
 *
 * @example
 * ```ts
 * const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
 * clock.advance(301_000);
 * verifier = createVerifier({ clock: clock.now, ... });
 * ```
 */
export function createManualClock(startMs: number = Date.now()): {
  readonly now: Clock;
  advance(milliseconds: number): void;
  set(epochMs: number): void;
} {
  let current = startMs;
  return {
    now: () => current,
    advance(milliseconds) {
      current += milliseconds;
    },
    set(epochMs) {
      current = epochMs;
    },
  };
}
