/**
 * Whether `value` is a promise of any kind: a native one, another realm's, or a library's thenable.
 * `instanceof Promise` alone would read a foreign promise as a plain value — for a policy result,
 * as "no extra denials".
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Calls `next` with `value` now when it is at hand, or once it settles when it is a promise. Only
 * the verifier's own stages pass through here, and they make native promises (a human authorizer's
 * answer is wrapped in one), so `instanceof` suffices: on a cache hit, looking up `then` on each
 * stage's value would cost about a tenth of the decision. A policy's or audit sink's result, which
 * may be any thenable, is checked with {@link isThenable} where it is received.
 * (Not named `then`: a module exporting `then` makes its namespace a thenable, and `import()` of
 * it would call that export.)
 */
export function andThen<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
