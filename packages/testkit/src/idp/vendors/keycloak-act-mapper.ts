import { createKeycloakScriptApi, runKeycloakActMapper } from '@dual-auth/iam';
import type { Directory } from '../directory.ts';

/**
 * What the mapper found: the claims to add, or why the human was refused (with the claims the
 * script put on the token then: `dual_auth_refusal`, never `act`).
 */
export type MapperOutcome =
  | { readonly kind: 'claims'; readonly claims: Record<string, unknown> }
  | { readonly kind: 'none' }
  | { readonly kind: 'refuse'; readonly reason: string; readonly claims: Record<string, unknown> };

const jwtBearer = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function splitName(name: string | undefined): { firstName?: string; lastName?: string } {
  if (name === undefined || name.length === 0) return {};
  const space = name.indexOf(' ');
  return space < 0
    ? { firstName: name }
    : { firstName: name.slice(0, space), lastName: name.slice(space + 1) };
}

/**
 * The Keycloak protocol mapper: runs the real script mapper shipped in `@dual-auth/iam`
 * (keycloak/dual-auth-act-mapper.js) against Keycloak-shaped bindings. It copies `act`,
 * `delegation` and `agbac_ver` from the client assertion that Keycloak already verified into the
 * access token; the human's email and name only when the fixture's `actDisplayClaims` lists them,
 * and then from the realm's own user store (never from the request). A human who is unknown, lacks the human role, or has not approved this agent is
 * refused as real Keycloak refuses: a script mapper cannot fail a token request, so the token goes
 * out without `act`, with a `dual_auth_refusal` claim naming the reason.
 */
export function mapKeycloakAct(
  assertionClaims: Record<string, unknown> | undefined,
  agentId: string,
  directory: Directory,
): MapperOutcome {
  // The script reads the raw form parameter and decodes the (already verified) assertion's payload.
  const formParameters: Record<string, string> =
    assertionClaims === undefined
      ? { grant_type: 'client_credentials' }
      : {
          grant_type: 'client_credentials',
          client_assertion_type: jwtBearer,
          client_assertion: `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(assertionClaims)}.verified`,
        };
  const api = createKeycloakScriptApi({
    realm: directory.fixture.realm,
    clientId: agentId,
    formParameters,
    users: (userId) => {
      const human = directory.human(userId);
      if (human === undefined) return undefined;
      return {
        id: human.id,
        ...(human.email === undefined ? {} : { email: human.email }),
        ...splitName(human.name),
        realmRoles: human.roles,
        attributes: { dual_auth_approved_agents: human.approvedAgents },
      };
    },
  });
  const outcome = runKeycloakActMapper(api.bindings, {
    settings: {
      humanRole: directory.fixture.humanRole,
      approvedAgentsAttribute: 'dual_auth_approved_agents',
      displayClaims: (directory.fixture.actDisplayClaims ?? []).join(','),
    },
  });
  if (outcome.kind === 'none') return outcome;
  // What the script put on the token is what Keycloak would serialize.
  return outcome.kind === 'refuse'
    ? { kind: 'refuse', reason: outcome.reason, claims: api.tokenClaims() }
    : { kind: 'claims', claims: api.tokenClaims() };
}
