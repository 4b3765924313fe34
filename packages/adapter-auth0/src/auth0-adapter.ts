import {
  type AdapterOptions,
  AGBAC_VERSION,
  type ClientAuthMethod,
  ConfigurationError,
  type DualAuthConfig,
  type TokenRequestParams,
  type TokenResponse,
} from '@dual-auth/core';
import { ClientCredentialsAdapter, SUBJECT_TOKEN_TYPE_ACCESS_TOKEN } from '@dual-auth/core/oauth';
import { classifyActionDenial } from './internal/classify-action-denial.ts';
import { explainExchangeRefusal } from './internal/explain-exchange-refusal.ts';

/**
 * The claim the credentials-exchange Action writes the human to, unless `AUTH0_ACT_CLAIM` says otherwise.
 *
 * @example
 * ```ts
 * const actClaim = process.env.AUTH0_ACT_CLAIM ?? DEFAULT_AUTH0_ACT_CLAIM;
 * ```
 */
export const DEFAULT_AUTH0_ACT_CLAIM = 'https://dual-auth.dev/act';

/**
 * Options of {@link Auth0Adapter}.
 *
 * @example
 * ```ts
 * const adapter = new Auth0Adapter(config, { bodyEncoding: 'json' } satisfies Auth0AdapterOptions);
 * ```
 */
export interface Auth0AdapterOptions extends AdapterOptions {
  /** Body encoding of the token request: `form` (default) or `json`; Auth0 accepts both. */
  readonly bodyEncoding?: 'form' | 'json';
}

/**
 * The namespaced claims the Action writes, all sharing the namespace of the act claim.
 *
 * @example
 * ```ts
 * const human = payload[adapter.claimNames.act]; // payload['https://dual-auth.dev/act']
 * ```
 */
export interface Auth0ClaimNames {
  readonly act: string;
  readonly delegation: string;
  readonly agbacVersion: string;
}

const auth0Methods: readonly ClientAuthMethod[] = [
  'client_secret_post',
  'client_secret_basic',
  'private_key_jwt',
];

function claimNames(config: DualAuthConfig): Auth0ClaimNames {
  const configured = config.settings.AUTH0_ACT_CLAIM;
  const actClaim = typeof configured === 'string' ? configured : DEFAULT_AUTH0_ACT_CLAIM;
  const namespace = actClaim.endsWith('/act') ? actClaim.slice(0, -'act'.length) : undefined;
  if (namespace === undefined || !/^https?:\/\/[^\s/]+\/(?:[^\s]*\/)?$/.test(namespace)) {
    throw new ConfigurationError(
      'AUTH0_ACT_CLAIM must be a namespaced claim ending in /act, such as https://dual-auth.dev/act (Auth0 drops plain act).',
      { setting: 'AUTH0_ACT_CLAIM' },
    );
  }
  return { act: actClaim, delegation: `${namespace}delegation`, agbacVersion: `${namespace}agbac_ver` };
}

/**
 * Requests dual-subject tokens from Auth0. Auth0 has no `client_secret_jwt` and drops a plain `act`
 * claim, so in `agbac` mode (the default) the agent authenticates with its secret (or
 * `private_key_jwt`), sends `audience`, and hands the human to the credentials-exchange Action
 * dual-auth ships as body parameters `act` and `delegation` (JSON strings) and `agbac_ver`; the
 * Action writes them as namespaced claims ({@link Auth0Adapter.claimNames}). In `hybrid` mode the
 * human travels as an act assertion instead. In `exchange` mode the agent, a Custom API client with
 * On-Behalf-Of Token Exchange switched on, exchanges the human's access token (`subjectToken`, whose
 * audience is the agent's own API) for a token for `API_AUDIENCE`: `requested_token_type` access
 * token, `audience` and `scope` as Auth0's on-behalf-of request requires
 * (https://auth0.com/docs/api/authentication/on-behalf-of-token-exchange/get-token). Auth0 puts the
 * human in `sub` and the agent in `act.sub`, each earlier actor one `act` deeper.
 *
 * @example
 * ```ts
 * const adapter = new Auth0Adapter(await getConfig({ vendor: 'auth0' }));
 * const tokenResponse = await adapter.requestToken({ agentId: config.clientId, act: { sub: 'auth0|64f…' } });
 * ```
 * @throws {TypeError} for misuse, including `authMethod: 'client_secret_jwt'`.
 * @throws {ConfigurationError} for a missing `API_AUDIENCE` or secret, or a bad `AUTH0_ACT_CLAIM`.
 * @throws {TokenRequestError} from `requestToken`: 400 `invalid_request` with `vendorCode`
 * `agent_not_approved` or `human_not_approved` when the Action denies the agent or the human; in
 * exchange mode `vendorCode` `not_custom_api_client`, `subject_token_rejected`,
 * `delegation_too_deep`, `scope_not_granted` or `audience_not_found`, the message ending in the fix.
 */
export class Auth0Adapter extends ClientCredentialsAdapter {
  declare readonly vendor: 'auth0';
  declare readonly audience: string;
  /** Where the Action writes the human, the delegation and the AGBAC version. */
  readonly claimNames: Auth0ClaimNames;

  constructor(config: DualAuthConfig, options: Auth0AdapterOptions = {}) {
    const { bodyEncoding = 'form', ...adapterOptions } = options ?? {};
    if (!['form', 'json'].includes(bodyEncoding))
      throw new TypeError("options.bodyEncoding must be 'form' or 'json'");
    if (typeof config !== 'object' || config === null) throw new TypeError('config must be a DualAuthConfig');
    const audience = config.audience;
    if (audience === undefined) {
      throw new ConfigurationError('API_AUDIENCE is required for Auth0: it names the API (its identifier).', {
        setting: 'API_AUDIENCE',
      });
    }
    const names = claimNames(config);
    super(config, adapterOptions, {
      vendor: 'auth0',
      tokenUrlSetting: 'AUTH0_TOKEN_URL',
      defaultMode: 'agbac',
      // On-behalf-of takes any client authentication but none (`token_endpoint_auth_method` none).
      authMethods: { agbac: auth0Methods, hybrid: auth0Methods, exchange: auth0Methods },
      defaultAuthMethod: {
        agbac: 'client_secret_post',
        hybrid: 'client_secret_post',
        exchange: 'client_secret_post',
      },
      assertionAudience: (tokenUrl) => `${tokenUrl.origin}/`,
      audience,
      bodyEncoding,
      requestParts: ({ mode, act, delegation, scope }) => ({
        fields: {
          audience,
          ...(scope.length === 0 ? {} : { scope: scope.join(' ') }),
          ...(mode === 'exchange' ? { requested_token_type: SUBJECT_TOKEN_TYPE_ACCESS_TOKEN } : {}),
          ...(mode === 'agbac'
            ? { act: JSON.stringify(act), delegation: JSON.stringify(delegation), agbac_ver: AGBAC_VERSION }
            : {}),
        },
      }),
    });
    this.claimNames = Object.freeze(names);
  }

  /**
   * Requests a dual-subject token, as {@link ClientCredentialsAdapter.requestToken} does. A denial
   * by dual-auth's credentials-exchange Action (HTTP 400 `invalid_request`, Auth0's wire form of
   * `api.access.deny`) gets `vendorCode` `agent_not_approved` or `human_not_approved`, read from
   * the reason the Action wrote. In exchange mode, Auth0's on-behalf-of refusals get the
   * `vendorCode` naming them and the fix in the message.
   *
   * @example
   * ```ts
   * try {
   *   await adapter.requestToken({ agentId: config.clientId, act });
   * } catch (error) {
   *   if (error instanceof TokenRequestError && error.vendorCode === 'human_not_approved') askAnotherHuman();
   * }
   * ```
   * @throws {TokenRequestError} when Auth0 refuses or fails (`status`, `oauthError`, `vendorCode`).
   */
  override async requestToken(params: TokenRequestParams): Promise<TokenResponse> {
    try {
      return await super.requestToken(params);
    } catch (error) {
      throw this.mode === 'exchange' ? explainExchangeRefusal(error) : classifyActionDenial(error);
    }
  }
}
