import { expect } from 'vitest';
import type { IssuedRefusal } from './idp-adapter-harness.ts';

/**
 * How Keycloak "refuses" an agent without its role: it issues the token (nothing in a
 * client_credentials request can fail for a missing role), without the role in `realm_access`.
 *
 * @example
 * ```ts
 * describeIdpAdapter('keycloak agbac', { …, refusals: { agentNotApproved: keycloakAgentWithoutRole('FinanceAgent'), … } });
 * ```
 */
export function keycloakAgentWithoutRole(role: string): IssuedRefusal {
  return {
    marked: (claims) =>
      expect((claims.realm_access as { roles?: unknown } | undefined)?.roles).not.toContain(role),
  };
}

/**
 * How the dual-auth act mapper refuses a human on Keycloak: a script mapper cannot fail the
 * request, so the token carries no `act` and a `dual_auth_refusal` with the reason.
 *
 * @example
 * ```ts
 * describeIdpAdapter('keycloak agbac', { …, refusals: { humanNotApproved: keycloakHumanRefusedByMapper, … } });
 * ```
 */
export const keycloakHumanRefusedByMapper: IssuedRefusal = {
  marked: (claims) => {
    expect(claims.act).toBeUndefined();
    expect(claims.dual_auth_refusal).toEqual(expect.any(String));
  },
};
