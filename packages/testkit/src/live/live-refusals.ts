import type { ClientAuthMethod } from '@dual-auth/core';
import type { ExpectedRefusal, IdpAdapterHarness } from '../conformance/idp-adapter-harness.ts';
import {
  keycloakAgentWithoutRole,
  keycloakHumanRefusedByMapper,
} from '../conformance/keycloak-issued-refusals.ts';
import type { LiveTenant } from './read-live-tenant.ts';

/** A scope no tenant set up by the guides grants. */
const ungrantedScope = 'dual-auth-live.not-granted';
/** An Entra resource that exists in no tenant (`.invalid` is reserved, RFC 2606). */
const unknownEntraResource = 'https://dual-auth-live.invalid/.default';

function keycloakWrongCredentials(authMethod: ClientAuthMethod): ExpectedRefusal {
  // Keycloak 26.7.3, pinned by apps/e2e/test/real-keycloak/differential.test.ts.
  return authMethod === 'private_key_jwt'
    ? { status: 400, oauthError: 'invalid_client' }
    : { status: 400, oauthError: 'unauthorized_client' };
}

/**
 * How a real tenant of each vendor refuses, as its documentation (or, for Keycloak, the real server
 * in this suite) says. The embedded IdP must answer the same; docs/vendor-fidelity.md lists the
 * sources and what could not be confirmed.
 *
 * @example
 * ```ts
 * describeIdpAdapter('live auth0', { …, refusals: liveRefusals(tenant) });
 * ```
 */
export function liveRefusals(tenant: LiveTenant): IdpAdapterHarness['refusals'] {
  switch (tenant.vendor) {
    case 'keycloak':
      return {
        // Nothing fails a client_credentials request for a missing role: the token lacks the role.
        agentNotApproved: keycloakAgentWithoutRole(tenant.agentRole ?? 'dual-auth-agent'),
        // A script mapper cannot fail the request: the act mapper marks the token instead.
        humanNotApproved: keycloakHumanRefusedByMapper,
        wrongCredentials: keycloakWrongCredentials(tenant.authMethod),
        badScope: { scope: [ungrantedScope], refusal: { status: 400, oauthError: 'invalid_scope' } },
      };
    case 'auth0':
      return {
        // A client with a grant for the API but not marked as an agent: the Action's
        // api.access.deny('invalid_request', …). Credentials-exchange denials are HTTP 400 with the
        // code given (Auth0 docs, Actions: credentials-exchange API object; docs/vendor-fidelity.md).
        agentNotApproved: { status: 400, oauthError: 'invalid_request', vendorCode: 'agent_not_approved' },
        humanNotApproved: { status: 400, oauthError: 'invalid_request', vendorCode: 'human_not_approved' },
        // Auth0 answers a wrong client secret or key with 401 access_denied "Unauthorized".
        wrongCredentials: { status: 401, oauthError: 'access_denied' },
        // "Client has not been granted scopes: …".
        badScope: { scope: [ungrantedScope], refusal: { status: 403, oauthError: 'access_denied' } },
      };
    case 'okta':
      return {
        // No access-policy rule matches the client: 401 access_denied "Policy evaluation failed for
        // this request, please check the policy configurations." (Okta error codes, no_matching_policy).
        agentNotApproved: { status: 401, oauthError: 'access_denied', vendorCode: 'no_matching_policy' },
        wrongCredentials: { status: 401, oauthError: 'invalid_client' },
        badScope: { scope: [ungrantedScope], refusal: { status: 400, oauthError: 'invalid_scope' } },
      };
    case 'entraid':
      return {
        // The API requires app-role assignment and the client has none (Entra error codes).
        agentNotApproved: { status: 400, oauthError: 'invalid_grant', vendorCode: 'AADSTS501051' },
        wrongCredentials:
          tenant.authMethod === 'private_key_jwt'
            ? { status: 401, oauthError: 'invalid_client', vendorCode: 'AADSTS700027' }
            : { status: 401, oauthError: 'invalid_client', vendorCode: 'AADSTS7000215' },
        badScope: {
          scope: [unknownEntraResource],
          refusal: { status: 400, oauthError: 'invalid_resource', vendorCode: 'AADSTS500011' },
        },
      };
  }
}
