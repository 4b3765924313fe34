import type { Act } from './act.ts';
import type { ActDisplayClaim } from './parse-act-display-claims.ts';

/**
 * The part of an {@link Act} that goes on the wire: the IAM ids (`sub`, and `oid`, Entra ID's
 * object id) always; `email` and `name` only when listed in `displayClaims`
 * (`DUAL_AUTH_ACT_DISPLAY_CLAIMS`, validated by `parseActDisplayClaims`). Every serializer of the
 * human (act JWTs, act assertions, client assertions, Auth0's `act` parameter) goes through it, so
 * the default is minimum disclosure everywhere. The `Act` kept in memory is not changed.
 *
 * @example
 * ```ts
 * discloseAct({ sub: 'u-1', email: 'alice@example.com', name: 'Alice' }, []); // { sub: 'u-1' }
 * discloseAct({ sub: 'u-1', email: 'alice@example.com', name: 'Alice' }, ['email']); // { sub: 'u-1', email: 'alice@example.com' }
 * ```
 */
export function discloseAct(act: Act, displayClaims: readonly ActDisplayClaim[] = []): Act {
  const disclosed: { sub: string; email?: string; name?: string; oid?: string } = { sub: act.sub };
  for (const claim of displayClaims) {
    const value = act[claim];
    if (value !== undefined) disclosed[claim] = value;
  }
  if (act.oid !== undefined) disclosed.oid = act.oid;
  return disclosed;
}
