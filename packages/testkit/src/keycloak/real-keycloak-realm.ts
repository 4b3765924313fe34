import { keycloakRealmImport } from '@dual-auth/iam';
import type { AgentFixture, HumanFixture, IdpFixture } from '../idp/types.ts';
import { vendorUserId } from '../idp/vendor-ids.ts';

/**
 * How the agents of one real-Keycloak realm authenticate (a Keycloak client has one authenticator).
 *
 * @example
 * ```ts
 * const clientAuth: RealKeycloakClientAuth = 'private_key_jwt';
 * const realm = keycloak.realm(clientAuth);
 * ```
 */
export type RealKeycloakClientAuth = 'client_secret_jwt' | 'private_key_jwt';

type Json = Record<string, unknown>;

const approvedAgentsAttribute = 'dual_auth_approved_agents';

/**
 * The agents of a real realm that may use Keycloak's standard token exchange (V2): the client
 * attribute `standard.token.exchange.enabled` (OIDCAdvancedConfigWrapper, keycloak/keycloak); the
 * others are refused ("Standard token exchange is not enabled for the requested client").
 *
 * @example
 * ```ts
 * const exchanges = realKeycloakExchangeAgents.includes('finance-agent'); // true
 * ```
 */
export const realKeycloakExchangeAgents: readonly string[] = ['finance-agent'];

/**
 * The web applications of a real realm that sign humans in by direct grant (`grant_type=password`)
 * so that a test holds a human's access token: `dual-auth-web`'s tokens name the exchange agents in
 * `aud` (an audience mapper), `dual-auth-web-alone`'s name none of them (Keycloak then refuses the
 * exchange: "Client is not within the token audience").
 *
 * @example
 * ```ts
 * const { clientId, clientSecret } = realKeycloakWebClients[0]!;
 * ```
 */
export const realKeycloakWebClients: readonly {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly agentAudience: boolean;
}[] = [
  { clientId: 'dual-auth-web', clientSecret: 'dual-auth-web-secret-0123456789abcdef', agentAudience: true },
  {
    clientId: 'dual-auth-web-alone',
    clientSecret: 'dual-auth-web-alone-secret-0123456789abcdef',
    agentAudience: false,
  },
];

/**
 * The password of every fixture human in a real realm (test-only; the direct grant needs one).
 *
 * @example
 * ```ts
 * const body = new URLSearchParams({ grant_type: 'password', username: 'alice', password: realKeycloakHumanPassword });
 * ```
 */
export const realKeycloakHumanPassword = 'dual-auth-test-password-0123456789';

function record(value: unknown, what: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TypeError(`the shipped realm import has no ${what}`);
  return value as Json;
}

function shippedRealm(): { agentRole: string; humanRole: string; client: Json } {
  const shipped = keycloakRealmImport();
  const roles = (record(shipped.roles, 'roles').realm ?? []) as { name: string }[];
  const [agentRole, humanRole] = ['dual-auth-agent', 'dual-auth-human'].map((name) => {
    if (!roles.some((role) => role.name === name))
      throw new TypeError(`the shipped realm import has no role ${name}`);
    return name;
  }) as [string, string];
  const clients = (shipped.clients ?? []) as Json[];
  const client = clients.find((candidate) => candidate.clientId === 'dual-auth-agent');
  if (client === undefined) throw new TypeError('the shipped realm import has no dual-auth-agent client');
  return { agentRole, humanRole, client };
}

/**
 * The fixture as a real Keycloak realm sees it: the fixture's agent and human roles renamed to the
 * shipped realm's `dual-auth-agent` and `dual-auth-human` (the names the shipped mapper JAR checks),
 * humans under their Keycloak-shaped ids.
 */
export function realKeycloakFixture(
  fixture: IdpFixture,
  auth: RealKeycloakClientAuth,
): {
  agents: AgentFixture[];
  humans: HumanFixture[];
  agentRole: string;
  humanRole: string;
} {
  const { agentRole, humanRole } = shippedRealm();
  const rename = (role: string) =>
    role === fixture.agentRole ? agentRole : role === fixture.humanRole ? humanRole : role;
  return {
    agentRole,
    humanRole,
    agents: fixture.agents
      .filter((agent) => agent.kind !== 'directory-reader')
      .map((agent) => ({ ...agent, roles: agent.roles.map(rename) })),
    humans: fixture.humans.map((human) => ({
      ...human,
      // User ids are unique across realms: the client_secret_jwt realm has the embedded profile's.
      id: vendorUserId('keycloak', auth === 'client_secret_jwt' ? human.id : `${auth}:${human.id}`),
      roles: human.roles.map(rename),
    })),
  };
}

function agentClient(
  template: Json,
  agent: AgentFixture,
  auth: RealKeycloakClientAuth,
  audience: string,
): Json {
  const attributes = { ...record(template.attributes, 'client attributes') };
  if (auth === 'private_key_jwt') {
    if (agent.publicJwk === undefined)
      throw new TypeError(`fixture agent ${agent.clientId} has no public key`);
    attributes['token.endpoint.auth.signing.alg'] = String(agent.publicJwk.alg ?? 'ES256');
    attributes['use.jwks.string'] = 'true';
    attributes['jwks.string'] = JSON.stringify({ keys: [{ ...agent.publicJwk, use: 'sig' }] });
  }
  const mappers = ((template.protocolMappers ?? []) as Json[]).map((mapper) =>
    mapper.protocolMapper === 'oidc-audience-mapper'
      ? {
          ...mapper,
          config: { ...record(mapper.config, 'mapper config'), 'included.custom.audience': audience },
        }
      : mapper,
  );
  return {
    ...template,
    clientId: agent.clientId,
    name: agent.clientId,
    secret: agent.clientSecret,
    clientAuthenticatorType: auth === 'client_secret_jwt' ? 'client-secret-jwt' : 'client-jwt',
    // The scopes Keycloak gives a client whose service account is enabled in the admin console
    // (service_account adds client_id, clientHost and clientAddress); an import gets none of them.
    defaultClientScopes: ['web-origins', 'acr', 'profile', 'roles', 'basic', 'email', 'service_account'],
    attributes: {
      ...attributes,
      ...(realKeycloakExchangeAgents.includes(agent.clientId)
        ? { 'standard.token.exchange.enabled': 'true' }
        : {}),
    },
    protocolMappers: mappers,
  };
}

function webClient(client: (typeof realKeycloakWebClients)[number]): Json {
  return {
    clientId: client.clientId,
    name: client.clientId,
    enabled: true,
    protocol: 'openid-connect',
    publicClient: false,
    secret: client.clientSecret,
    clientAuthenticatorType: 'client-secret',
    standardFlowEnabled: false,
    directAccessGrantsEnabled: true,
    serviceAccountsEnabled: false,
    fullScopeAllowed: true,
    defaultClientScopes: ['web-origins', 'acr', 'profile', 'roles', 'basic', 'email'],
    protocolMappers: client.agentAudience
      ? realKeycloakExchangeAgents.map((agentId) => ({
          name: `audience-${agentId}`,
          protocol: 'openid-connect',
          protocolMapper: 'oidc-audience-mapper',
          config: {
            'included.client.audience': agentId,
            'access.token.claim': 'true',
            'id.token.claim': 'false',
          },
        }))
      : [],
  };
}

function splitName(name: string): { firstName: string; lastName?: string } {
  const space = name.indexOf(' ');
  return space < 0
    ? { firstName: name }
    : { firstName: name.slice(0, space), lastName: name.slice(space + 1) };
}

/**
 * A full realm representation for `kc.sh start-dev --import-realm`, built from `@dual-auth/iam`'s
 * realm import (roles, the agent client with the act mapper and audience mapper) and the testkit
 * fixture: one client per fixture agent, its service-account user with the agent's roles, and the
 * fixture humans with their roles and `dual_auth_approved_agents` attribute.
 */
export function realKeycloakRealm(fixture: IdpFixture, realm: string, auth: RealKeycloakClientAuth): Json {
  const shipped = keycloakRealmImport();
  const { client } = shippedRealm();
  const { agents, humans } = realKeycloakFixture(fixture, auth);
  const shippedRoles = (record(shipped.roles, 'roles').realm ?? []) as Json[];
  const extraRoles = [...new Set([...agents, ...humans].flatMap((entry) => entry.roles))]
    .filter((name) => !shippedRoles.some((role) => role.name === name))
    .map((name) => ({ name, composite: false, clientRole: false }));
  return {
    realm,
    enabled: true,
    // Keycloak's default is 300 s; stated so that the differential test compares like with like.
    accessTokenLifespan: 300,
    roles: { realm: [...shippedRoles, ...extraRoles] },
    clients: [
      ...agents.map((agent) => agentClient(client, agent, auth, fixture.api.identifier)),
      ...realKeycloakWebClients.map(webClient),
    ],
    users: [
      ...agents.map((agent) => ({
        username: `service-account-${agent.clientId}`,
        enabled: true,
        serviceAccountClientId: agent.clientId,
        // Keycloak gives every new user the realm's default roles; an imported user only what it lists.
        realmRoles: [...agent.roles, `default-roles-${realm}`],
      })),
      ...humans.map((human) => ({
        id: human.id,
        username: human.email.split('@')[0],
        email: human.email,
        emailVerified: true,
        enabled: true,
        ...splitName(human.name),
        realmRoles: [...human.roles],
        credentials: [{ type: 'password', value: realKeycloakHumanPassword, temporary: false }],
        attributes: { [approvedAgentsAttribute]: [...human.approvedAgents] },
      })),
    ],
  };
}
