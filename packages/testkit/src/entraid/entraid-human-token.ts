import type { WebClientFixture } from '../idp/types.ts';
import { entraTestHumanPassword } from '../idp/vendors/entraid-on-behalf-of.ts';

/**
 * The web application of the emulated Entra tenant that signs humans in (resource-owner password
 * grant) for a token to the agent app: register it with `startEmbeddedIdp({ webClients })`.
 *
 * @example
 * ```ts
 * const idp = await startEmbeddedIdp({ vendors: ['entraid'], webClients: entraExchangeWebClients() });
 * ```
 */
export function entraExchangeWebClients(): WebClientFixture[] {
  return [
    {
      clientId: 'dual-auth-entra-web',
      clientSecret: 'dual-auth-entra-web-secret-0123456789abcdef',
      redirectUris: ['https://app.dual-auth.test/callback'],
    },
  ];
}

/**
 * A fixture human's access token from the embedded IdP's Entra ID profile, as the web application
 * gets it for `scope` (default the agent app `finance-agent`'s `api://finance-agent/access_as_user`,
 * so `aud` is the agent: the assertion of its on-behalf-of request).
 *
 * @example
 * ```ts
 * const subjectToken = new Secret(await requestEntraHumanToken(profile.tokenEndpoint, 'alice'));
 * ```
 * @throws {Error} when the sign-in is refused (the status and body, which hold no token).
 */
export async function requestEntraHumanToken(
  tokenEndpoint: string,
  username: string,
  scope = 'api://finance-agent/access_as_user openid profile',
): Promise<string> {
  const [client] = entraExchangeWebClients();
  if (client === undefined) throw new TypeError('no Entra web client');
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      scope,
      username,
      password: entraTestHumanPassword,
    }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200 || typeof body.access_token !== 'string')
    throw new Error(`Entra sign-in failed: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}
