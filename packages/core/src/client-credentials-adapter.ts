import type { Act } from './act.ts';
import type { DualAuthConfig } from './config-definition.ts';
import type { ClientAssertionPrivateKey } from './create-client-assertion.ts';
import { type DelegationClaim, toDelegationClaim } from './delegation.ts';
import { discloseAct } from './disclose-act.ts';
import type {
  ActAssertionSigner,
  DelegationMode,
  IdpAdapter,
  TokenMode,
  TokenRequestParams,
} from './idp-adapter.ts';
import { attachActAssertion } from './internal/attach-act-assertion.ts';
import { checkTokenRequestParams } from './internal/check-token-request-params.ts';
import { loadAgentPrivateKey } from './internal/load-agent-private-key.ts';
import {
  type ResolvedAdapter,
  resolveClientCredentialsAdapter,
} from './internal/resolve-client-credentials-adapter.ts';
import { tokenRequestAttempt } from './internal/token-request-attempt.ts';
import type { Logger } from './logger.ts';
import type { ActDisplayClaim } from './parse-act-display-claims.ts';
import { postTokenRequest, type TokenRequestRetryOptions } from './post-token-request.ts';
import type { TokenResponse } from './token-response.ts';
import type { Vendor } from './vendors.ts';

/**
 * How an agent authenticates at the token endpoint.
 *
 * @example
 * ```ts
 * const adapter = new KeycloakAdapter(config, { authMethod: 'private_key_jwt', privateKey });
 * ```
 */
export type ClientAuthMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'client_secret_jwt'
  | 'private_key_jwt';

/**
 * Options every `@dual-auth/adapter-*` constructor takes.
 *
 * @example
 * ```ts
 * const options: AdapterOptions = { timeoutMs: 5000, retry: { limit: 3 }, logger, signActAssertion };
 * ```
 */
export interface AdapterOptions {
  /** The `fetch` used for token requests (default the global one). */
  readonly fetch?: typeof globalThis.fetch;
  /** Signs act assertions; required in hybrid mode (from `@dual-auth/sender`). */
  readonly signActAssertion?: ActAssertionSigner;
  readonly logger?: Logger;
  readonly clock?: () => number;
  /** Per-attempt timeout in ms (default 10000). */
  readonly timeoutMs?: number;
  readonly retry?: TokenRequestRetryOptions;
  /** The agent's private key: selects `private_key_jwt` unless `authMethod` says otherwise. */
  readonly privateKey?: ClientAssertionPrivateKey;
  /** Overrides `DUAL_AUTH_MODE`. */
  readonly mode?: TokenMode;
  /** Overrides `AGENT_AUTH_METHOD`. */
  readonly authMethod?: ClientAuthMethod;
  /**
   * Display claims of the human (`email`, `name`) sent to the IdP and to `signActAssertion`
   * besides its IAM ids; overrides `config.actDisplayClaims` (`DUAL_AUTH_ACT_DISPLAY_CLAIMS`).
   * Default: none.
   */
  readonly actDisplayClaims?: readonly ActDisplayClaim[];
}

/**
 * What a vendor adds to each token request.
 *
 * @example
 * ```ts
 * const parts: VendorRequestParts = { fields: { audience }, assertionClaims: { act, agbac_ver: AGBAC_VERSION } };
 * ```
 */
export interface VendorRequestParts {
  /** Extra body fields (`scope`, `audience`, Auth0's `act`…). */
  readonly fields?: Readonly<Record<string, string>>;
  /** Extra client-assertion claims (Keycloak's `act`, `delegation`, `agbac_ver`). */
  readonly assertionClaims?: Readonly<Record<string, unknown>>;
}

/**
 * The grant an adapter's exchange mode sends: RFC 8693 token exchange (`subject_token`, the
 * default) or Entra ID's on-behalf-of flow (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`,
 * the human's token as `assertion`, `requested_token_use=on_behalf_of`).
 *
 * @example
 * ```ts
 * const exchangeGrant: ExchangeGrant = vendor === 'entraid' ? 'jwt-bearer-on-behalf-of' : 'token-exchange';
 * ```
 */
export type ExchangeGrant = 'token-exchange' | 'jwt-bearer-on-behalf-of';

/**
 * A vendor's rules for {@link ClientCredentialsAdapter}.
 *
 * @example
 * ```ts
 * const rules: ClientCredentialsRules = {
 *   vendor: 'okta', tokenUrlSetting: 'OKTA_TOKEN_URL', defaultMode: 'hybrid',
 *   authMethods: { agbac: [], hybrid: ['client_secret_basic'] },
 *   defaultAuthMethod: { agbac: 'client_secret_basic', hybrid: 'client_secret_basic' },
 *   assertionAudience: (url) => url.href, audience: config.audience,
 *   requestParts: ({ scope }) => ({ fields: { scope: scope.join(' ') } }),
 * };
 * ```
 */
export interface ClientCredentialsRules {
  readonly vendor: Vendor;
  /** The setting holding the token URL (`KEYCLOAK_TOKEN_URL`…), for error messages. */
  readonly tokenUrlSetting: string;
  readonly defaultMode: DelegationMode;
  /**
   * Methods the vendor accepts in each mode; an empty list (or no `exchange` entry) makes the mode
   * impossible.
   */
  readonly authMethods: Readonly<
    Record<'agbac' | 'hybrid', readonly ClientAuthMethod[]> & { exchange?: readonly ClientAuthMethod[] }
  >;
  /** Why agbac mode is impossible, when it is. */
  readonly agbacUnsupportedReason?: string;
  /** Method used when neither a private key, `authMethod` nor `AGENT_AUTH_METHOD` chooses one. */
  readonly defaultAuthMethod: Readonly<
    Record<'agbac' | 'hybrid', ClientAuthMethod> & { exchange?: ClientAuthMethod }
  >;
  /** The client assertion's `aud`, derived from the token URL. */
  readonly assertionAudience: (tokenUrl: URL) => string;
  /** The API audience (`IdpAdapter.audience`), also the act assertion's `aud` in hybrid mode. */
  readonly audience: string | undefined;
  /** `form` (default) or `json` request bodies. */
  readonly bodyEncoding?: 'form' | 'json';
  /** The grant of exchange mode (default `token-exchange`, RFC 8693). */
  readonly exchangeGrant?: ExchangeGrant;
  /** Vendor fields of one request. */
  readonly requestParts: (request: {
    readonly mode: TokenMode;
    readonly act: Act;
    readonly delegation: DelegationClaim;
    readonly scope: readonly string[];
  }) => VendorRequestParts;
}

/**
 * The vendor-neutral body of every `@dual-auth/adapter-*` class, which extends it with its vendor's
 * {@link ClientCredentialsRules}. It validates the configuration and options once (misuse →
 * `TypeError`, bad settings → `ConfigurationError`); per request it checks the agent and the human,
 * authenticates the client (secret basic/post, `client_secret_jwt`, `private_key_jwt` with a fresh
 * assertion per attempt), adds the vendor's fields, posts with {@link postTokenRequest} and, in
 * hybrid mode, attaches the act assertion from `signActAssertion`.
 *
 * @example
 * ```ts
 * export class OktaAdapter extends ClientCredentialsAdapter {
 *   constructor(config: DualAuthConfig, options: AdapterOptions = {}) {
 *     super(config, options, {
 *       vendor: 'okta', tokenUrlSetting: 'OKTA_TOKEN_URL', defaultMode: 'hybrid',
 *       authMethods: { agbac: [], hybrid: ['client_secret_basic', 'private_key_jwt'] },
 *       defaultAuthMethod: { agbac: 'client_secret_basic', hybrid: 'client_secret_basic' },
 *       assertionAudience: (url) => url.href, audience: config.audience,
 *       requestParts: ({ scope }) => ({ fields: { scope: scope.join(' ') } }),
 *     });
 *   }
 * }
 * ```
 */
export class ClientCredentialsAdapter implements IdpAdapter {
  readonly vendor: Vendor;
  readonly tokenEndpoint: string;
  readonly audience: string | undefined;
  readonly mode: TokenMode;
  /** The client authentication in use. */
  readonly authMethod: ClientAuthMethod;
  readonly #adapter: ResolvedAdapter;
  #privateKey: Promise<ClientAssertionPrivateKey> | undefined;

  constructor(config: DualAuthConfig, options: AdapterOptions, rules: ClientCredentialsRules) {
    this.#adapter = resolveClientCredentialsAdapter(config, options, rules);
    this.vendor = rules.vendor;
    this.tokenEndpoint = this.#adapter.tokenEndpoint;
    this.audience = rules.audience;
    this.mode = this.#adapter.mode;
    this.authMethod = this.#adapter.authMethod;
  }

  // The key file is read once, on first use; a failed read is retried on the next request.
  #loadPrivateKey(): Promise<ClientAssertionPrivateKey | undefined> {
    const { options, keyFile, logger } = this.#adapter;
    if (options.privateKey !== undefined || keyFile === undefined) return Promise.resolve(options.privateKey);
    this.#privateKey ??= loadAgentPrivateKey(keyFile, logger).catch((error: unknown) => {
      this.#privateKey = undefined;
      throw error;
    });
    return this.#privateKey;
  }

  /**
   * Requests a dual-subject token for the configured agent acting for `params.act`.
   *
   * @example
   * ```ts
   * const { accessToken, actAssertion } = await adapter.requestToken({ agentId: config.clientId, act });
   * ```
   * @throws {TypeError} for another `agentId`, an invalid `act` or `delegation` (including one whose
   * `expiresAt` has passed).
   * @throws {TokenRequestError} when the IdP refuses or fails (`status`, `oauthError`, `vendorCode`).
   */
  async requestToken(params: TokenRequestParams): Promise<TokenResponse> {
    const adapter = this.#adapter;
    const { rules, config, options, mode, clock, logger } = adapter;
    const validated = checkTokenRequestParams(params, config.clientId, clock(), mode);
    const { delegation } = validated;
    // Minimum disclosure: the IdP (and the act-assertion signer) get the IAM ids, and display
    // claims only when configured.
    const act = discloseAct(validated.act, adapter.actDisplayClaims);
    const scope = params.scope ?? config.scope ?? [];
    const parts = rules.requestParts({ mode, act, delegation: toDelegationClaim(delegation), scope });
    const logFields = {
      vendor: rules.vendor,
      agentId: config.clientId,
      mode,
      authMethod: adapter.authMethod,
    };
    logger.debug('requesting agent token', logFields);
    const tokenResponse = await postTokenRequest({
      tokenEndpoint: adapter.tokenEndpoint,
      createAttempt: () =>
        tokenRequestAttempt(adapter, parts, params.subjectToken, () => this.#loadPrivateKey()),
      clock,
      logger,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      ...(params.signal === undefined ? {} : { signal: params.signal }),
    });
    logger.debug('agent token received', { ...logFields, expiresIn: tokenResponse.expiresIn });
    return attachActAssertion(adapter, tokenResponse, { act, delegation });
  }
}
