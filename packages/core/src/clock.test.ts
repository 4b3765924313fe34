import { describe, expect, it } from 'vitest';
import { createManualClock, DEFAULT_CLOCK_SKEW_SECONDS, resolveTimeOptions, systemClock } from './clock.ts';

describe('time options', () => {
  it('defaults to the system clock and 30 s of skew', () => {
    const resolved = resolveTimeOptions();
    expect(resolved.clock).toBe(systemClock);
    expect(resolved.clockSkewSeconds).toBe(DEFAULT_CLOCK_SKEW_SECONDS);
    expect(DEFAULT_CLOCK_SKEW_SECONDS).toBe(30);
  });

  it.each([-1, 301, Number.NaN, Number.POSITIVE_INFINITY])('refuses a skew of %s', (clockSkewSeconds) => {
    expect(() => resolveTimeOptions({ clockSkewSeconds })).toThrow(TypeError);
  });

  it('refuses a clock that is not a function', () => {
    expect(() => resolveTimeOptions({ clock: 5 as unknown as () => number })).toThrow(TypeError);
  });

  it('offers a manual clock for tests', () => {
    const clock = createManualClock(1_000);
    clock.advance(500);
    expect(clock.now()).toBe(1_500);
    clock.set(10);
    expect(resolveTimeOptions({ clock: clock.now, clockSkewSeconds: 0 }).clock()).toBe(10);
  });
});
