import {
  type AdapterOptions,
  type ClientAuthMethod,
  ConfigurationError,
  type DualAuthConfig,
  type TokenRequestParams,
  type TokenResponse,
} from '@dual-auth/core';
import { ClientCredentialsAdapter } from '@dual-auth/core/oauth';
import { explainExchangeRefusal } from './internal/explain-exchange-refusal.ts';
import { explainPolicyRefusal } from './internal/explain-policy-refusal.ts';

const clientAuthMethods: readonly ClientAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
];

/**
 * Options of {@link OktaAdapter}: core's `AdapterOptions`; `signActAssertion` is required in hybrid mode.
 *
 * @example
 * ```ts
 * const options: OktaAdapterOptions = { signActAssertion, authMethod: 'client_secret_jwt' };
 * ```
 */
export type OktaAdapterOptions = AdapterOptions;

/** The token URL of a custom authorization server; the org server's `/oauth2/v1/token` is not one. */
const customServerTokenPath = /\/oauth2\/[^/]+\/v1\/token$/;

// Okta's on-behalf-of token exchange runs on a custom authorization server only (API Access
// Management; Okta support, "On-Behalf of Token Exchange Requires Use of Two Custom Authorization
// Servers"), and its request names the server's audience ("Set up OAuth 2.0 On-Behalf-Of Token
// Exchange", developer.okta.com/docs/guides/set-up-token-exchange).
function checkExchangeSettings(tokenEndpoint: string, audience: string | undefined): string {
  if (!customServerTokenPath.test(new URL(tokenEndpoint).pathname)) {
    throw new ConfigurationError(
      "OKTA_TOKEN_URL must be a custom authorization server's token endpoint, " +
        "https://{domain}/oauth2/{authServerId}/v1/token, in exchange mode: Okta's on-behalf-of token " +
        'exchange needs a custom authorization server (API Access Management), not the org server.',
      { setting: 'OKTA_TOKEN_URL' },
    );
  }
  if (audience === undefined || audience.trim() === '') {
    throw new ConfigurationError(
      "API_AUDIENCE is required in exchange mode: Okta's token exchange names the authorization server's audience.",
      { setting: 'API_AUDIENCE' },
    );
  }
  return audience;
}

const agbacUnsupportedReason =
  'Okta cannot copy request-time data (the human) into client-credentials tokens, so the human travels ' +
  'as an application-signed act assertion; use hybrid';

/**
 * Requests agent tokens from an Okta custom authorization server. In `hybrid` mode (the default):
 * a plain client-credentials token (`scope` required; `client_secret_basic`, `client_secret_post`,
 * `client_secret_jwt` or `private_key_jwt` with `aud` = the exact token URL), then an act assertion
 * for the human from `signActAssertion`, bound to that token. In `exchange` mode: Okta's
 * on-behalf-of token exchange of the human's access token (`subjectToken`) with `scope` and
 * `audience` = `API_AUDIENCE`; the new token keeps the human (`uid`, `sub` = their login) and names
 * the agent's service app in `cid`.
 *
 * @example
 * ```ts
 * const adapter = new OktaAdapter(await getConfig({ vendor: 'okta' }), { signActAssertion });
 * const tokenResponse = await adapter.requestToken({ agentId: config.clientId, act: { sub: '00u1a2b3c' } });
 * tokenResponse.actAssertion; // send as X-Act-Assertion
 * ```
 * @throws {TypeError} for misuse: no `signActAssertion` in hybrid mode, `mode: 'agbac'`, bad options.
 * @throws {ConfigurationError} for a missing secret, `API_SCOPE` (checked here, at construction) or
 * `API_AUDIENCE`; in exchange mode also for an `OKTA_TOKEN_URL` that is not a custom
 * authorization server's.
 * @throws {TokenRequestError} from `requestToken` when Okta refuses; a client no access-policy rule
 * matches gets `vendorCode` `no_matching_policy` and a message naming the authorization server,
 * the client id and the scopes to allow; an exchange refusal gets Okta's internal error code
 * (`invalid_subject_token`, `token_exchange_invalid_audience`, `unauthorized_client`…) and the fix.
 */
export class OktaAdapter extends ClientCredentialsAdapter {
  declare readonly vendor: 'okta';
  readonly #clientId: string;
  readonly #scope: readonly string[];
  readonly #exchangeAudience: string | undefined;

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
        hybrid: clientAuthMethods,
        // A service app authenticates at the token endpoint the same way whatever its grant.
        exchange: clientAuthMethods,
      },
      agbacUnsupportedReason,
      defaultAuthMethod: {
        agbac: 'client_secret_basic',
        hybrid: 'client_secret_basic',
        exchange: 'client_secret_basic',
      },
      assertionAudience: (tokenUrl) => tokenUrl.href,
      audience: config.audience,
      requestParts: ({ mode, scope }) => {
        if (scope.length === 0) throw new TypeError('Okta needs a scope: set API_SCOPE or pass scope');
        return {
          fields: {
            scope: scope.join(' '),
            ...(mode === 'exchange' && config.audience !== undefined ? { audience: config.audience } : {}),
          },
        };
      },
    });
    this.#clientId = config.clientId;
    this.#scope = config.scope;
    this.#exchangeAudience =
      this.mode === 'exchange' ? checkExchangeSettings(this.tokenEndpoint, config.audience) : undefined;
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
      const request = {
        tokenEndpoint: this.tokenEndpoint,
        clientId: this.#clientId,
        scope: params.scope ?? this.#scope,
      };
      throw this.#exchangeAudience === undefined
        ? explainPolicyRefusal(error, request)
        : explainExchangeRefusal(error, { ...request, audience: this.#exchangeAudience });
    }
  }
}
