import {
  type AdapterOptions,
  ClientCredentialsAdapter,
  ConfigurationError,
  type DualAuthConfig,
  type TokenRequestParams,
  type TokenResponse,
} from '@dual-auth/core';
import { explainPolicyRefusal } from './internal/explain-policy-refusal.ts';

/**
 * Options of {@link OktaAdapter}: core's `AdapterOptions`; `signActAssertion` is required.
 *
 * @example
 * ```ts
 * const options: OktaAdapterOptions = { signActAssertion, authMethod: 'client_secret_jwt' };
 * ```
 */
export type OktaAdapterOptions = AdapterOptions;

const agbacUnsupportedReason =
  'Okta cannot copy request-time data (the human) into client-credentials tokens, so the human travels ' +
  'as an application-signed act assertion; use hybrid';

/**
 * Requests agent tokens from an Okta custom authorization server, in `hybrid` mode (the only one
 * Okta allows): a plain client-credentials token (`scope` required; `client_secret_basic`,
 * `client_secret_post`, `client_secret_jwt` or `private_key_jwt` with `aud` = the exact token URL),
 * then an act assertion for the human from `signActAssertion`, bound to that token.
 *
 * @example
 * ```ts
 * const adapter = new OktaAdapter(await getConfig({ vendor: 'okta' }), { signActAssertion });
 * const tokenResponse = await adapter.requestToken({ agentId: config.clientId, act: { sub: '00u1a2b3c' } });
 * tokenResponse.actAssertion; // send as X-Act-Assertion
 * ```
 * @throws {TypeError} for misuse: no `signActAssertion`, `mode: 'agbac'`, bad options.
 * @throws {ConfigurationError} for a missing secret, `API_SCOPE` (checked here, at construction) or
 * `API_AUDIENCE`.
 * @throws {TokenRequestError} from `requestToken` when Okta refuses; a client no access-policy rule
 * matches gets `vendorCode` `no_matching_policy` and a message naming the authorization server,
 * the client id and the scopes to allow.
 */
export class OktaAdapter extends ClientCredentialsAdapter {
  declare readonly vendor: 'okta';
  readonly #clientId: string;
  readonly #scope: readonly string[];

  constructor(config: DualAuthConfig, options: OktaAdapterOptions = {}) {
    if (typeof config !== 'object' || config === null) throw new TypeError('config must be a DualAuthConfig');
    // Okta has no default scopes for client credentials: without one every request is refused.
    if (!Array.isArray(config.scope) || config.scope.length === 0) {
      throw new ConfigurationError(
        'API_SCOPE is required for Okta client credentials (Okta has no default scopes), e.g. API_SCOPE=finance.read.',
        { setting: 'API_SCOPE' },
      );
    }
    super(config, options, {
      vendor: 'okta',
      tokenUrlSetting: 'OKTA_TOKEN_URL',
      defaultMode: 'hybrid',
      authMethods: {
        agbac: [],
        hybrid: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'],
      },
      agbacUnsupportedReason,
      defaultAuthMethod: { agbac: 'client_secret_basic', hybrid: 'client_secret_basic' },
      assertionAudience: (tokenUrl) => tokenUrl.href,
      audience: config.audience,
      requestParts: ({ scope }) => {
        if (scope.length === 0) throw new TypeError('Okta needs a scope: set API_SCOPE or pass scope');
        return { fields: { scope: scope.join(' ') } };
      },
    });
    this.#clientId = config.clientId;
    this.#scope = config.scope;
  }

  /**
   * Requests the agent's token and its act assertion (see {@link ClientCredentialsAdapter}).
   *
   * @example
   * ```ts
   * const { accessToken, actAssertion } = await adapter.requestToken({ agentId: config.clientId, act });
   * ```
   */
  override async requestToken(params: TokenRequestParams): Promise<TokenResponse> {
    try {
      return await super.requestToken(params);
    } catch (error) {
      throw explainPolicyRefusal(error, {
        tokenEndpoint: this.tokenEndpoint,
        clientId: this.#clientId,
        scope: params.scope ?? this.#scope,
      });
    }
  }
}
