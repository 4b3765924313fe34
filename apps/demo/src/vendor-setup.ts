import type { Vendor } from '@dual-auth/core';
import type { Layout } from '@dual-auth/verifier';

/** The layout each vendor's native demo route uses: the human inside the token, or beside it. */
export function nativeLayout(vendor: Vendor): Extract<Layout, 'agbac' | 'hybrid'> {
  return vendor === 'keycloak' || vendor === 'auth0' ? 'agbac' : 'hybrid';
}

/** The seed's token-URL variable of a vendor. */
export function tokenUrlVariable(vendor: Vendor): string {
  return `${vendor.toUpperCase()}_TOKEN_URL`;
}

/** What the finance API requires of the agent, in the claims that vendor's tokens carry. */
export function agentRequirement(vendor: Vendor): { agentRoles?: string[]; agentScopes?: string[] } {
  // Okta puts a client's grants in `scp`, not in a role claim.
  return vendor === 'okta' ? { agentScopes: ['finance.read'] } : { agentRoles: ['FinanceAgent'] };
}

/**
 * What the finance API requires of the agent of an exchanged token: the API's read scope, granted
 * by the exchange. Not the agent's role: an exchanged token's role claims are the human's (Keycloak
 * copies the human's `realm_access`).
 */
export function exchangeAgentRequirement(): { agentScopes: string[] } {
  return { agentScopes: ['finance.read'] };
}
