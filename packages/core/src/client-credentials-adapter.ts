import { type Act, parseAct } from './act.ts';
import { resolveTimeOptions } from './clock.ts';
import type { DualAuthConfig } from './config-definition.ts';
import {
  CLIENT_ASSERTION_TYPE,
  type ClientAssertionPrivateKey,
  createClientAssertion,
} from './create-client-assertion.ts';
import {
  createDelegation,
  type Delegation,
  type DelegationClaim,
  parseDelegationClaim,
  toDelegationClaim,
} from './delegation.ts';
import { discloseAct } from './disclose-act.ts';
import { ConfigurationError } from './errors.ts';
import type {
  ActAssertionSigner,
  DelegationMode,
  IdpAdapter,
  TokenMode,
  TokenRequestParams,
} from './idp-adapter.ts';
import { type AgentPrivateKeyFile, loadAgentPrivateKey } from './internal/load-agent-private-key.ts';
import { resolveTokenRequestOptions } from './internal/resolve-token-request-options.ts';
import { type Logger, silentLogger } from './logger.ts';
import { type ActDisplayClaim, parseActDisplayClaims } from './parse-act-display-claims.ts';
import { postTokenRequest, type TokenRequestRetryOptions } from './post-token-request.ts';
import { Secret } from './secret.ts';
import { SUBJECT_TOKEN_TYPE_ACCESS_TOKEN, TOKEN_EXCHANGE_GRANT_TYPE } from './token-exchange.ts';
import type { TokenResponse } from './token-response.ts';
import { checkUrlPolicy } from './url-policy.ts';
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

const clientAuthMethods: readonly ClientAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
];

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
  /** Vendor fields of one request. */
  readonly requestParts: (request: {
    readonly mode: TokenMode;
    readonly act: Act;
    readonly delegation: DelegationClaim;
    readonly scope: readonly string[];
  }) => VendorRequestParts;
}

function textSetting(config: DualAuthConfig, key: string): string | undefined {
  const value = config.settings[key];
  return typeof value === 'string' ? value : undefined;
}

function resolveMode(config: DualAuthConfig, options: AdapterOptions, rules: ClientCredentialsRules) {
  const fromOption = options.mode !== undefined;
  const mode = options.mode ?? textSetting(config, 'DUAL_AUTH_MODE') ?? rules.defaultMode;
  const fail = (problem: string) =>
    fromOption
      ? new TypeError(`options.mode ${problem}`)
      : new ConfigurationError(`DUAL_AUTH_MODE ${problem}`, { setting: 'DUAL_AUTH_MODE' });
  if (mode !== 'agbac' && mode !== 'hybrid' && mode !== 'exchange')
    throw fail('must be agbac, hybrid or exchange.');
  if (mode === 'exchange' && (rules.authMethods.exchange ?? []).length === 0) {
    throw fail(`cannot be exchange with ${rules.vendor}: this adapter has no token exchange for it yet.`);
  }
  if (mode !== 'exchange' && rules.authMethods[mode].length === 0) {
    throw fail(`cannot be ${mode} with ${rules.vendor}: ${rules.agbacUnsupportedReason ?? 'unsupported'}.`);
  }
  return mode as TokenMode;
}

function resolveAuthMethod(
  config: DualAuthConfig,
  options: AdapterOptions,
  rules: ClientCredentialsRules,
  mode: TokenMode,
): ClientAuthMethod {
  const configured = textSetting(config, 'AGENT_AUTH_METHOD');
  const method =
    options.authMethod ??
    configured ??
    (options.privateKey === undefined && textSetting(config, 'AGENT_PRIVATE_KEY_PATH') === undefined
      ? (rules.defaultAuthMethod[mode] ?? 'client_secret_basic')
      : 'private_key_jwt');
  const allowed = rules.authMethods[mode] ?? [];
  if (allowed.includes(method as ClientAuthMethod)) return method as ClientAuthMethod;
  const problem = clientAuthMethods.includes(method as ClientAuthMethod)
    ? `${method} is not accepted by ${rules.vendor} in ${mode} mode; use ${allowed.join(', ')}.`
    : `must be one of ${allowed.join(', ')}.`;
  if (options.authMethod !== undefined) throw new TypeError(`options.authMethod: ${problem}`);
  throw new ConfigurationError(`AGENT_AUTH_METHOD ${problem}`, { setting: 'AGENT_AUTH_METHOD' });
}

function assertOptions(config: DualAuthConfig, options: AdapterOptions, mode: TokenMode): void {
  if (config.clientId.trim() === '') throw new TypeError('config.clientId must not be empty');
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new TypeError('options.fetch must be a function');
  }
  if (options.signActAssertion !== undefined && typeof options.signActAssertion !== 'function') {
    throw new TypeError('options.signActAssertion must be a function');
  }
  if (mode === 'hybrid' && options.signActAssertion === undefined) {
    throw new TypeError(
      'hybrid mode needs options.signActAssertion (an ActAssertionSigner, e.g. from @dual-auth/sender)',
    );
  }
  if (options.privateKey !== undefined && typeof options.privateKey.key !== 'object') {
    throw new TypeError('options.privateKey.key must be a CryptoKey, KeyObject or private JWK');
  }
  resolveTokenRequestOptions(options);
}

function basicCredentials(clientId: string, secret: Secret): string {
  // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  const bytes = new TextEncoder().encode(`${encode(clientId)}:${encode(secret.reveal())}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

function validatedRequest(params: TokenRequestParams, clientId: string, now: number, mode: TokenMode) {
  if (typeof params !== 'object' || params === null) throw new TypeError('requestToken needs parameters');
  if (mode === 'exchange' && !(params.subjectToken instanceof Secret && !params.subjectToken.isEmpty)) {
    throw new TypeError("exchange mode needs subjectToken: a Secret holding the human's access token");
  }
  if (mode !== 'exchange' && params.subjectToken !== undefined) {
    throw new TypeError(`subjectToken is for exchange mode only (this adapter is in ${mode} mode)`);
  }
  if (params.agentId !== clientId) {
    throw new TypeError(
      'agentId must equal the configured client id: an adapter holds one agent\u2019s credentials',
    );
  }
  const act = parseAct(params.act);
  if (!act.ok) throw new TypeError(`act is invalid: ${act.problem}`);
  const delegation: Delegation = params.delegation ?? createDelegation({ now });
  const checked = parseDelegationClaim(toDelegationClaim(delegation));
  if (!checked.ok) throw new TypeError(`delegation is invalid: ${checked.problem}`);
  // `now` is epoch ms, `expiresAt` epoch seconds. An ended delegation authorises nothing: the token
  // (or act assertion) carrying it would be refused downstream, so it is not requested at all.
  const { expiresAt } = checked.delegation;
  if (expiresAt !== undefined && expiresAt * 1000 <= now) {
    throw new TypeError('delegation is invalid: expiresAt is in the past');
  }
  return { act: act.act, delegation: checked.delegation };
}

interface ResolvedAdapter {
  readonly rules: ClientCredentialsRules;
  readonly options: AdapterOptions;
  readonly config: DualAuthConfig;
  readonly mode: TokenMode;
  readonly authMethod: ClientAuthMethod;
  readonly tokenEndpoint: string;
  readonly assertionAudience: string;
  readonly actAudience: string | undefined;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly keyFile: AgentPrivateKeyFile | undefined;
  readonly actDisplayClaims: readonly ActDisplayClaim[];
}

function resolveAdapter(
  config: DualAuthConfig,
  options: AdapterOptions,
  rules: ClientCredentialsRules,
): ResolvedAdapter {
  if (
    typeof config !== 'object' ||
    config === null ||
    typeof config.clientId !== 'string' ||
    typeof config.settings !== 'object'
  ) {
    throw new TypeError('config must be a DualAuthConfig from getConfig()');
  }
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const mode = resolveMode(config, options, rules);
  assertOptions(config, options, mode);
  const authMethod = resolveAuthMethod(config, options, rules, mode);
  const url = checkUrlPolicy(config.tokenUrl, { allowInsecureLoopback: config.allowInsecureLoopback });
  if (!url.ok) {
    throw new ConfigurationError(`${rules.tokenUrlSetting} ${url.problem}.`, {
      setting: rules.tokenUrlSetting,
    });
  }
  const keyFile = privateKeyFile(config);
  if (authMethod === 'private_key_jwt' && options.privateKey === undefined && keyFile === undefined) {
    throw new TypeError('private_key_jwt needs options.privateKey or the AGENT_PRIVATE_KEY_PATH setting');
  }
  const secret = config.clientSecret;
  if (authMethod !== 'private_key_jwt' && (!(secret instanceof Secret) || secret.isEmpty)) {
    throw new ConfigurationError(`AGENT_CLIENT_SECRET is required for ${authMethod}.`, {
      setting: 'AGENT_CLIENT_SECRET',
    });
  }
  const actAudience = rules.audience;
  if (mode === 'hybrid' && actAudience === undefined) {
    throw new ConfigurationError(
      'API_AUDIENCE is required in hybrid mode: it is the act assertion audience.',
      {
        setting: 'API_AUDIENCE',
      },
    );
  }
  const { clock } = resolveTimeOptions(options.clock === undefined ? {} : { clock: options.clock });
  return {
    rules,
    options,
    config,
    mode,
    authMethod,
    tokenEndpoint: url.url.href,
    assertionAudience: rules.assertionAudience(url.url),
    actAudience,
    clock,
    logger: options.logger ?? silentLogger,
    keyFile,
    actDisplayClaims: parseActDisplayClaims(options.actDisplayClaims ?? config.actDisplayClaims),
  };
}

const privateKeyAlgorithms: readonly string[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];

function privateKeyFile(config: DualAuthConfig): AgentPrivateKeyFile | undefined {
  const path = textSetting(config, 'AGENT_PRIVATE_KEY_PATH');
  if (path === undefined) return undefined;
  const alg = textSetting(config, 'AGENT_PRIVATE_KEY_ALG') ?? 'RS256';
  if (!privateKeyAlgorithms.includes(alg)) {
    throw new ConfigurationError('AGENT_PRIVATE_KEY_ALG must be RS256, PS256, ES256 or EdDSA.', {
      setting: 'AGENT_PRIVATE_KEY_ALG',
    });
  }
  return {
    path,
    alg: alg as AgentPrivateKeyFile['alg'],
    kid: textSetting(config, 'AGENT_PRIVATE_KEY_ID'),
    x5tS256: textSetting(config, 'AGENT_CERTIFICATE_THUMBPRINT'),
  };
}

async function clientAuthentication(
  adapter: ResolvedAdapter,
  assertionClaims: Readonly<Record<string, unknown>> | undefined,
  privateKey: () => Promise<ClientAssertionPrivateKey | undefined>,
): Promise<{ fields: Record<string, string>; headers: Record<string, string> }> {
  const { authMethod, config } = adapter;
  const secret = config.clientSecret ?? new Secret('');
  if (authMethod === 'client_secret_basic') {
    return { fields: {}, headers: { authorization: basicCredentials(config.clientId, secret) } };
  }
  if (authMethod === 'client_secret_post') {
    return { fields: { client_id: config.clientId, client_secret: secret.reveal() }, headers: {} };
  }
  const key = authMethod === 'private_key_jwt' ? await privateKey() : undefined;
  const assertion = await createClientAssertion({
    clientId: config.clientId,
    audience: adapter.assertionAudience,
    key: key === undefined ? { type: 'client_secret', secret } : { type: 'private_key', privateKey: key },
    clock: adapter.clock,
    ...(assertionClaims === undefined ? {} : { claims: assertionClaims }),
  });
  return {
    fields: {
      client_id: config.clientId,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
    },
    headers: {},
  };
}

function grantFields(mode: TokenMode, subjectToken: Secret | undefined): Record<string, string> {
  if (mode !== 'exchange' || subjectToken === undefined) return { grant_type: 'client_credentials' };
  return {
    grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
    subject_token: subjectToken.reveal(),
    subject_token_type: SUBJECT_TOKEN_TYPE_ACCESS_TOKEN,
  };
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
    this.#adapter = resolveAdapter(config, options, rules);
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
    const validated = validatedRequest(params, config.clientId, clock(), mode);
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
      createAttempt: async () => {
        const authentication = await clientAuthentication(adapter, parts.assertionClaims, () =>
          this.#loadPrivateKey(),
        );
        const fields = {
          ...grantFields(mode, params.subjectToken),
          ...parts.fields,
          ...authentication.fields,
        };
        return {
          body: rules.bodyEncoding === 'json' ? fields : new URLSearchParams(fields),
          headers: authentication.headers,
        };
      },
      clock,
      logger,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      ...(params.signal === undefined ? {} : { signal: params.signal }),
    });
    logger.debug('agent token received', { ...logFields, expiresIn: tokenResponse.expiresIn });
    const signer = options.signActAssertion;
    if (mode !== 'hybrid' || signer === undefined || adapter.actAudience === undefined) return tokenResponse;
    const actAssertion = await signer({
      accessToken: tokenResponse.accessToken,
      agentId: config.clientId,
      act,
      delegation,
      audience: adapter.actAudience,
    });
    return tokenResponse.withActAssertion(actAssertion);
  }
}
