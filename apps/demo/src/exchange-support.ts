import { Secret, type Vendor } from '@dual-auth/core';
import {
  entraExchangeWebClients,
  type IdpProfile,
  keycloakExchangeWebClients,
  oktaNativeApp,
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
}

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

const supported: Partial<Record<Vendor, ExchangeSupport>> = { keycloak, okta, entraid };

/** The vendor's exchange support in the demo, or `undefined` where its exchange mode has not landed. */
export function exchangeSupport(vendor: Vendor): ExchangeSupport | undefined {
  return supported[vendor];
}

/** The vendors among `vendors` whose exchange mode the demo runs. */
export function exchangeVendors(vendors: readonly Vendor[]): Vendor[] {
  return vendors.filter((vendor) => supported[vendor] !== undefined);
}

/** Every web application the exchange vendors among `vendors` need at the IdP (each once). */
export function exchangeWebClients(vendors: readonly Vendor[]): WebClientFixture[] {
  const byId = new Map<string, WebClientFixture>();
  for (const vendor of exchangeVendors(vendors))
    for (const client of supported[vendor]?.webClients() ?? []) byId.set(client.clientId, client);
  return [...byId.values()];
}
