import { type AdapterOptions, AGBAC_VERSION, ConfigurationError, type DualAuthConfig } from '@dual-auth/core';
import { ClientCredentialsAdapter } from '@dual-auth/core/oauth';

const tokenPathSuffix = '/protocol/openid-connect/token';

/**
 * Options of {@link KeycloakAdapter}: core's `AdapterOptions`.
 *
 * @example
 * ```ts
 * const options: KeycloakAdapterOptions = { privateKey: { key: jwk, alg: 'ES256', kid: 'agent-1' } };
 * ```
 */
export type KeycloakAdapterOptions = AdapterOptions;

function realmIssuer(tokenUrl: URL): string {
  if (!tokenUrl.pathname.endsWith(tokenPathSuffix) || tokenUrl.search !== '') {
    throw new ConfigurationError(
      `KEYCLOAK_TOKEN_URL must be the realm's token endpoint, https://{host}/realms/{realm}${tokenPathSuffix}.`,
      { setting: 'KEYCLOAK_TOKEN_URL' },
    );
  }
  return `${tokenUrl.origin}${tokenUrl.pathname.slice(0, -tokenPathSuffix.length)}`;
}

/**
 * Requests dual-subject tokens from Keycloak. In `agbac` mode (the default) the agent authenticates
 * with a `client_secret_jwt` (or `private_key_jwt`) assertion whose payload carries the human
 * (`act`), the `delegation` and `agbac_ver`; the protocol mapper configured on the client copies
 * them into the access token. `aud` is the realm issuer, derived from the token URL. In `hybrid`
 * mode any client authentication works and the human travels as an act assertion beside the token.
 * In `exchange` mode the agent exchanges the human's access token (`subjectToken`) by Keycloak's
 * standard token exchange (V2; the client needs `standard.token.exchange.enabled`, and the subject
 * token must name the agent in `aud`): the new token has the human in `sub`, the agent in `azp`.
 * No `audience` is sent: Keycloak's `audience` names a client, and the API's audience comes from the
 * agent client's audience mapper.
 *
 * @example
 * ```ts
 * const adapter = new KeycloakAdapter(await getConfig({ vendor: 'keycloak' }));
 * const tokenResponse = await adapter.requestToken({
 *   agentId: 'finance-agent',
 *   act: { sub: 'f4c1…' },
 *   scope: ['finance.read'],
 * });
 * ```
 * @throws {TypeError} for misuse (bad options, hybrid mode without `signActAssertion`).
 * @throws {ConfigurationError} for a token URL that is not a realm token endpoint or a missing secret.
 */
export class KeycloakAdapter extends ClientCredentialsAdapter {
  declare readonly vendor: 'keycloak';
  /** The realm issuer, audience of the client assertion. */
  readonly issuer: string;

  constructor(config: DualAuthConfig, options: KeycloakAdapterOptions = {}) {
    super(config, options, {
      vendor: 'keycloak',
      tokenUrlSetting: 'KEYCLOAK_TOKEN_URL',
      defaultMode: 'agbac',
      authMethods: {
        agbac: ['client_secret_jwt', 'private_key_jwt'],
        hybrid: ['client_secret_jwt', 'private_key_jwt', 'client_secret_basic', 'client_secret_post'],
        // Standard token exchange (V2) takes the client's own authentication, whichever it is.
        exchange: ['client_secret_jwt', 'private_key_jwt', 'client_secret_basic', 'client_secret_post'],
      },
      defaultAuthMethod: {
        agbac: 'client_secret_jwt',
        hybrid: 'client_secret_basic',
        exchange: 'client_secret_jwt',
      },
      assertionAudience: realmIssuer,
      audience: config?.audience,
      requestParts: ({ mode, act, delegation, scope }) => ({
        ...(scope.length === 0 ? {} : { fields: { scope: scope.join(' ') } }),
        ...(mode === 'agbac' ? { assertionClaims: { act, delegation, agbac_ver: AGBAC_VERSION } } : {}),
      }),
    });
    this.issuer = realmIssuer(new URL(this.tokenEndpoint));
  }
}
