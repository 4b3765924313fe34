import type { WebClientFixture } from '../types.ts';
import { oktaHumanPassword } from './okta-token-exchange.ts';

/**
 * A native app with a client secret and the Resource Owner Password grant, to register at the
 * embedded IdP (`webClients`) so that its Okta profile issues humans' access tokens to exchange.
 *
 * @example
 * ```ts
 * const idp = await startEmbeddedIdp({ vendors: ['okta'], webClients: [oktaNativeApp] });
 * ```
 */
export const oktaNativeApp: WebClientFixture = Object.freeze({
  clientId: '0oa-dual-auth-native',
  clientSecret: 'okta-native-app-secret-0123456789abcdef',
  redirectUris: Object.freeze(['https://app.dual-auth.test/callback']),
});

/**
 * A fixture human's access token from the Okta profile's Resource Owner Password grant
 * (developer.okta.com/docs/guides/implement-grant-type/ropassword, "Request for tokens": Basic client
 * authentication, `grant_type=password`, `scope=openid`) by {@link oktaNativeApp}: the subject token
 * of an on-behalf-of token exchange. `username` is the human's login (email) or fixture name.
 *
 * @example
 * ```ts
 * const subjectToken = new Secret(await requestOktaHumanToken(profile.tokenEndpoint, 'alice'));
 * ```
 * @throws {Error} when the grant is refused (the status and body, which hold no token).
 */
export async function requestOktaHumanToken(
  tokenEndpoint: string,
  username: string,
  app: Pick<WebClientFixture, 'clientId' | 'clientSecret'> = oktaNativeApp,
): Promise<string> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${btoa(`${app.clientId}:${app.clientSecret}`)}`,
    },
    body: new URLSearchParams({
      grant_type: 'password',
      username,
      password: oktaHumanPassword,
      scope: 'openid',
    }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200 || typeof body.access_token !== 'string')
    throw new Error(`resource owner password grant failed: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}
