import { Secret, type Vendor } from '@dual-auth/core';
import {
  auth0AgentApiIdentifier,
  auth0ChainFixture,
  auth0ExchangeWebClients,
  defaultIdpFixture,
  entraExchangeWebClients,
  type IdpFixture,
  type IdpProfile,
  keycloakExchangeWebClients,
  oktaNativeApp,
  requestAuth0HumanToken,
  requestEntraHumanToken,
  requestKeycloakHumanToken,
  requestOktaHumanToken,
  type WebClientFixture,
} from '@dual-auth/testkit';

/** How the demo gets a human's access token at one vendor whose exchange mode is emulated. */
export interface ExchangeSupport {
  /**
   * The human's own access token, as the web application holds it in its session: the subject
   * token of the first exchange. `username` is the human's login name (`alice`); `agentId` the
   * agent of the first exchange, where the vendor issues the human's token for that agent.
   */
  humanToken(profile: IdpProfile, username: string, agentId: string): Promise<Secret>;
  /** The web applications the IdP must know so that {@link humanToken} can sign a human in. */
  webClients(): WebClientFixture[];
  /** The IdP's directory with what this vendor's exchange rows need added (agents of a chain). */
  fixture?(base: IdpFixture): IdpFixture;
}

/**
 * The agents after finance-agent in the Auth0 delegation chains: Custom API clients with their own
 * APIs, approved by every human who approved finance-agent.
 */
export const AUTH0_CHAIN_AGENTS: readonly string[] = ['agent-b', 'agent-c'];

/** The audience an Auth0 hop asks for so that `nextAgent` may exchange the token in turn. */
export const auth0AgentApi = (nextAgent: string): string =>
  auth0AgentApiIdentifier(defaultIdpFixture(), nextAgent);

// Keycloak: the direct grant of `dual-auth-web`, whose audience mapper names the exchange agents
// (Keycloak exchanges only a subject token whose `aud` names the requesting client).
const keycloak: ExchangeSupport = {
  humanToken: async (profile, username) =>
    new Secret(await requestKeycloakHumanToken(profile.tokenEndpoint, username)),
  webClients: keycloakExchangeWebClients,
};

// Okta: the Resource Owner Password grant of a native app; any of the server's access tokens may
// be exchanged by a service app that an access-policy rule lets exchange.
const okta: ExchangeSupport = {
  humanToken: async (profile, username) =>
    new Secret(await requestOktaHumanToken(profile.tokenEndpoint, username)),
  webClients: () => [oktaNativeApp],
};

// Entra ID: the web application signs the human in for the agent app's delegated scope, so the
// token's `aud` is the agent: the assertion its on-behalf-of request must present.
const entraid: ExchangeSupport = {
  humanToken: async (profile, username, agentId) =>
    new Secret(
      await requestEntraHumanToken(
        profile.tokenEndpoint,
        username,
        `api://${agentId}/access_as_user openid profile`,
      ),
    ),
  webClients: entraExchangeWebClients,
};

// Auth0: the password grant of a web application whose tokens are for finance-agent's own API (a
// Custom API client exchanges only tokens for the API it is linked to).
const auth0: ExchangeSupport = {
  humanToken: async (profile, username) =>
    new Secret(await requestAuth0HumanToken(profile.tokenEndpoint, username)),
  // Only the first one (its tokens are for finance-agent's API), which is Keycloak's first one too
  // (same id, secret and audience); the second would clash with Keycloak's second by id.
  webClients: () => auth0ExchangeWebClients().slice(0, 1),
  fixture: (base) => auth0ChainFixture(base, AUTH0_CHAIN_AGENTS),
};

const supported: Partial<Record<Vendor, ExchangeSupport>> = { keycloak, auth0, okta, entraid };

/** The vendor's exchange support in the demo, or `undefined` where its exchange mode has not landed. */
export function exchangeSupport(vendor: Vendor): ExchangeSupport | undefined {
  return supported[vendor];
}

/** The vendors among `vendors` whose exchange mode the demo runs. */
export function exchangeVendors(vendors: readonly Vendor[]): Vendor[] {
  return vendors.filter((vendor) => supported[vendor] !== undefined);
}

/**
 * The IdP's directory for `vendors`: the default fixture with what their exchange rows need, or
 * `undefined` when they need nothing added.
 */
export function exchangeFixture(vendors: readonly Vendor[]): IdpFixture | undefined {
  let fixture: IdpFixture | undefined;
  for (const vendor of exchangeVendors(vendors)) {
    const extend = supported[vendor]?.fixture;
    if (extend !== undefined) fixture = extend(fixture ?? defaultIdpFixture());
  }
  return fixture;
}

/** Every web application the exchange vendors among `vendors` need at the IdP (each once). */
export function exchangeWebClients(vendors: readonly Vendor[]): WebClientFixture[] {
  const byId = new Map<string, WebClientFixture>();
  for (const vendor of exchangeVendors(vendors)) {
    for (const client of supported[vendor]?.webClients() ?? []) {
      const known = byId.get(client.clientId);
      // The IdP has one client per id for all its profiles: two different ones would break a vendor.
      if (known !== undefined && JSON.stringify(known) !== JSON.stringify(client))
        throw new TypeError(`two different exchange web clients named ${client.clientId}`);
      byId.set(client.clientId, client);
    }
  }
  return [...byId.values()];
}
