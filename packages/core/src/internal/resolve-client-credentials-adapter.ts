import type {
  AdapterOptions,
  ClientAuthMethod,
  ClientCredentialsRules,
} from '../client-credentials-adapter.ts';
import { resolveTimeOptions } from '../clock.ts';
import type { DualAuthConfig } from '../config-definition.ts';
import { ConfigurationError } from '../errors.ts';
import type { TokenMode } from '../idp-adapter.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { type ActDisplayClaim, parseActDisplayClaims } from '../parse-act-display-claims.ts';
import { Secret } from '../secret.ts';
import { checkUrlPolicy } from '../url-policy.ts';
import type { AgentPrivateKeyFile } from './load-agent-private-key.ts';
import { resolveTokenRequestOptions } from './resolve-token-request-options.ts';

const clientAuthMethods: readonly ClientAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
];

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

/** An adapter's configuration, options and vendor rules, checked once and resolved for every request. */
export interface ResolvedAdapter {
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

/**
 * Checks the configuration and options of a `ClientCredentialsAdapter` against its vendor's rules:
 * misuse is a `TypeError`, a bad setting a `ConfigurationError` naming it.
 */
export function resolveClientCredentialsAdapter(
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
