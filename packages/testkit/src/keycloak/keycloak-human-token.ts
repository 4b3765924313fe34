import type { WebClientFixture } from '../idp/types.ts';
import {
  realKeycloakExchangeAgents,
  realKeycloakHumanPassword,
  realKeycloakWebClients,
} from './real-keycloak-realm.ts';

/**
 * A fixture human's access token from Keycloak's direct grant (`grant_type=password`) by one of the
 * web applications of {@link realKeycloakWebClients} (0: its tokens name the exchange agents in
 * `aud`; 1: they name none), from a real realm or the embedded IdP's Keycloak profile alike: the
 * subject token of a token exchange.
 *
 * @example
 * ```ts
 * const subjectToken = new Secret(await requestKeycloakHumanToken(profile.tokenEndpoint, 'alice'));
 * ```
 * @throws {Error} when the direct grant is refused (the status and body, which hold no token).
 */
export async function requestKeycloakHumanToken(
  tokenEndpoint: string,
  username: string,
  webClient = 0,
): Promise<string> {
  const client = realKeycloakWebClients[webClient];
  if (client === undefined) throw new TypeError(`no web client ${webClient}`);
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${btoa(`${client.clientId}:${client.clientSecret}`)}`,
    },
    body: new URLSearchParams({ grant_type: 'password', username, password: realKeycloakHumanPassword }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200 || typeof body.access_token !== 'string')
    throw new Error(`direct grant failed: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/**
 * The web applications of {@link realKeycloakWebClients} as the embedded IdP registers them, so that
 * its Keycloak profile answers direct grants and exchanges as the real realm does.
 *
 * @example
 * ```ts
 * const idp = await startEmbeddedIdp({ vendors: ['keycloak'], webClients: keycloakExchangeWebClients() });
 * ```
 */
export function keycloakExchangeWebClients(): WebClientFixture[] {
  return realKeycloakWebClients.map((client) => ({
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    redirectUris: ['https://app.dual-auth.test/callback'],
    ...(client.agentAudience ? { audience: [...realKeycloakExchangeAgents] } : {}),
  }));
}
