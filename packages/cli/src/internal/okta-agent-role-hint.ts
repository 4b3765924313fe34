import type { Vendor } from '@dual-auth/core';
import type { Decision } from '@dual-auth/verifier';

/**
 * For an Okta token denied because the agent lacks a role: where Okta puts an agent's roles. A
 * client-credentials token has no user, so no `groups`; the Okta profile reads roles from `scp`
 * (the scopes the access-policy rule granted) and, when the API configures one, a custom claim.
 * `undefined` for any other decision or vendor.
 */
export function oktaAgentRoleHint(decision: Decision, vendor: Vendor | undefined): string | undefined {
  if (vendor !== 'okta' || decision.allow || decision.code !== 'agent_denied') return undefined;
  const missing = /^the agent lacks role (.+)$/.exec(decision.subjects.agent.reason)?.[1];
  if (missing === undefined) return undefined;
  const granted = decision.agent?.scopes ?? [];
  return (
    'Okta client-credentials tokens carry no user, so no groups: the Okta profile reads agent roles ' +
    `from scp, the scopes the access-policy rule granted (this token: ${granted.length === 0 ? 'none' : granted.join(' ')}). ` +
    `Allow scope ${missing} in the rule and request it (API_SCOPE), require it with --agent-scope instead, ` +
    'or put roles in a custom claim of the authorization server (e.g. agent_roles = app.profile.agent_roles) ' +
    'and read it in the API with oktaVendorProfile({ rolesClaim: "agent_roles" })'
  );
}
