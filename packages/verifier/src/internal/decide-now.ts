import type { Decision } from '../decision.ts';

/**
 * The verifier's own entry for framework bindings: the same decision as `verify()`, handed back
 * at once when nothing had to wait (cached token, keys at hand), so a middleware adds no promise
 * to the request's path. Keyed by a symbol: not part of the public surface.
 */
export const decideNow: unique symbol = Symbol('dual-auth.decideNow');

/** What a verifier built by `createVerifier` carries under {@link decideNow}. */
export type DecideNow<Input, Requirements> = (
  input: Input,
  requirements?: Requirements,
) => Decision | Promise<Decision>;

/** The immediate-decision entry of `verifier`, or one built on its public `verify()`. */
export function decisionEntry<Input, Requirements>(verifier: {
  verify(input: Input, requirements?: Requirements): Promise<Decision>;
}): DecideNow<Input, Requirements> {
  if (typeof verifier?.verify !== 'function') throw new TypeError('verifier must come from createVerifier()');
  const own = (verifier as { [decideNow]?: DecideNow<Input, Requirements> })[decideNow];
  return typeof own === 'function' ? own : (input, requirements) => verifier.verify(input, requirements);
}
