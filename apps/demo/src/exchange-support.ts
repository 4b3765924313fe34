import { Secret, type Vendor } from '@dual-auth/core';
import {
  type IdpProfile,
  keycloakExchangeWebClients,
  requestKeycloakHumanToken,
  type WebClientFixture,
} from '@dual-auth/testkit';

/** How the demo gets a human's access token at one vendor whose exchange mode is emulated. */
export interface ExchangeSupport {
  /**
   * The human's own access token, as the web application holds it in its session: the subject
   * token of the first exchange. `username` is the human's login name (`alice`).
   */
  humanToken(profile: IdpProfile, username: string): Promise<Secret>;
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

const supported: Partial<Record<Vendor, ExchangeSupport>> = { keycloak };

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
