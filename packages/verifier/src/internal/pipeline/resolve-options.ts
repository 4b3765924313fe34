import {
  ACT_JWT_LIFETIME_SECONDS,
  type AuditSink,
  type Clock,
  type DelegationMethod,
  delegationMethods,
  type Logger,
  MAXIMUM_ACCESS_TOKEN_LENGTH,
  resolveTimeOptions,
} from '@dual-auth/core';
import {
  createRemoteKeySource,
  createStaticKeySource,
  type KeySource,
  type RegisteredClaimRules,
} from '@dual-auth/core/jose';
import { silentLogger } from '@dual-auth/core/logging';
import type { HumanAuthorizer } from '../../create-static-human-authorizer.ts';
import { type VendorProfile, vendorProfiles } from '../../vendor-profile.ts';
import type { PolicyFunction, VerifierOptions } from '../../verifier-options.ts';
import { type HumanPolicy, resolveHumanPolicy } from '../human-policy.ts';
import type { Layout } from '../layout.ts';
import { type JwsAlgorithm, supportedAlgorithms } from '../verification-key.ts';
import { DEFAULT_MAX_CHAIN_DEPTH } from './judge-chain.ts';
import { normalizeTyp } from './token-type.ts';

/** The verified-token caches' settings. */
export interface CacheSettings {
  readonly enabled: boolean;
  readonly maxEntries: number;
  readonly maxAgeMs: number;
}

/** How act assertions are checked (hybrid layout only). */
export interface AssertionSettings {
  readonly keys: KeySource;
  readonly rules: RegisteredClaimRules;
}

/** A verifier's options, checked once and turned into what its stages use. */
export interface ResolvedOptions {
  readonly clock: Clock;
  readonly clockSkewSeconds: number;
  readonly logger: Logger;
  readonly layout: Layout;
  readonly profile: VendorProfile;
  /** The profile's `tokenTypes`, normalized. */
  readonly tokenTypes: ReadonlySet<string | undefined>;
  readonly humanClaim: string;
  readonly humanRolesClaim: string | undefined;
  readonly algorithms: ReadonlySet<JwsAlgorithm>;
  readonly audiences: readonly string[];
  readonly tokenKeys: KeySource;
  readonly tokenRules: RegisteredClaimRules;
  /** Set exactly when the layout is `hybrid`. */
  readonly assertion: AssertionSettings | undefined;
  readonly maxTokenLength: number;
  readonly maxHeaderLength: number;
  readonly maxChainDepth: number;
  /**
   * The clients an act-less on-behalf-of token may name as its agent; `undefined`: none for Okta and
   * Entra ID, any `te`-marked Keycloak client.
   */
  readonly onBehalfOfAgents: ReadonlySet<string> | undefined;
  readonly requireDelegation: boolean;
  readonly acceptedMethods: ReadonlySet<DelegationMethod>;
  readonly cache: CacheSettings;
  readonly humanAuthorizer: HumanAuthorizer | undefined;
  readonly humanPolicy: HumanPolicy;
  readonly humanCacheMs: number;
  readonly audit: AuditSink | undefined;
  readonly policy: PolicyFunction | undefined;
}

const renamedOptions: Readonly<Record<string, string>> = {
  actAssertionKeys: 'hybrid.keys',
  actAssertionJwksUri: 'hybrid.jwksUri',
  actAssertionIssuer: 'hybrid.issuer',
  actAssertionAudience: 'hybrid.audience',
};

// A JavaScript caller (or a cast) still passing a pre-0.2 name would otherwise get a verifier
// without the setting it meant: refused, naming the option to use.
function refuseRenamedOptions(options: object): void {
  for (const old of Object.keys(renamedOptions)) {
    if (Object.hasOwn(options, old)) {
      throw new TypeError(`createVerifier: ${old} was renamed ${renamedOptions[old]}`);
    }
  }
}

function list(
  value: string | readonly string[] | undefined,
  setting: string,
  required: boolean,
): readonly string[] {
  const items = value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
  if (required && items.length === 0) throw new TypeError(`${setting} is required`);
  if (items.some((item) => typeof item !== 'string' || item.length === 0)) {
    throw new TypeError(`${setting} must be non-empty strings`);
  }
  return items;
}

function positive(value: number | undefined, fallback: number, setting: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`${setting} must be a positive integer`);
  return value;
}

/**
 * Checks a verifier's options and resolves their defaults; throws a `TypeError` naming the first
 * bad option, among them a missing human policy.
 */
export function resolveOptions(options: VerifierOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('options are required');
  refuseRenamedOptions(options);
  const { clock, clockSkewSeconds } = resolveTimeOptions(options);
  const logger = options.logger ?? silentLogger;
  const issuers = new Set(list(options.issuer, 'issuer', true));
  const audiences = list(options.audience, 'audience', true);
  const layout = options.layout;
  if (layout !== 'agbac' && layout !== 'hybrid' && layout !== 'rfc8693') {
    throw new TypeError('layout must be agbac, hybrid or rfc8693 (it is never guessed)');
  }
  const profile = typeof options.vendor === 'string' ? vendorProfiles[options.vendor] : options.vendor;
  if (profile === undefined || typeof profile.agentId !== 'function' || !Array.isArray(profile.tokenTypes)) {
    throw new TypeError('vendor must be keycloak, auth0, okta, entraid or a VendorProfile');
  }
  const tokenTypes = new Set(profile.tokenTypes.map((type) => normalizeTyp(type)));
  const humanClaim = options.humanClaim ?? 'act';
  if (typeof humanClaim !== 'string' || humanClaim.length === 0)
    throw new TypeError('humanClaim must be a claim name');
  const algorithmList = options.algorithms ?? supportedAlgorithms;
  for (const algorithm of algorithmList) {
    if (!supportedAlgorithms.includes(algorithm)) {
      throw new TypeError(`algorithms: ${String(algorithm)} is not supported (asymmetric algorithms only)`);
    }
  }
  const algorithms = new Set(algorithmList);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const allowInsecureLoopback = options.allowInsecureLoopback === true;

  function keySource(keys: VerifierOptions['keys'], jwksUri: string | undefined, prefix: string): KeySource {
    if ((keys === undefined) === (jwksUri === undefined)) {
      throw new TypeError(`exactly one of ${prefix}keys and ${prefix}jwksUri is required`);
    }
    if (keys !== undefined) return createStaticKeySource(keys, algorithms, `${prefix}keys`);
    return createRemoteKeySource({
      url: jwksUri as string,
      setting: `${prefix}jwksUri`,
      allowed: algorithms,
      clock,
      logger,
      fetch: fetchImpl,
      allowInsecureLoopback,
      jwks: options.jwks ?? {},
    });
  }

  const tokenKeys = keySource(options.keys, options.jwksUri, '');
  let assertion: AssertionSettings | undefined;
  const { hybrid } = options;
  if ((layout === 'hybrid') !== (hybrid !== undefined)) {
    throw new TypeError(
      layout === 'hybrid'
        ? 'hybrid: { keys or jwksUri, issuer } is required with layout hybrid'
        : `hybrid is only for layout hybrid (layout is ${layout})`,
    );
  }
  if (hybrid !== undefined) {
    if (typeof hybrid !== 'object' || hybrid === null) throw new TypeError('hybrid must be an object');
    const keys = keySource(hybrid.keys, hybrid.jwksUri, 'hybrid.');
    assertion = {
      keys,
      rules: {
        issuers: new Set(list(hybrid.issuer, 'hybrid.issuer', true)),
        audiences: new Set(
          hybrid.audience === undefined ? audiences : list(hybrid.audience, 'hybrid.audience', true),
        ),
        skewSeconds: clockSkewSeconds,
        maxLifetimeSeconds: ACT_JWT_LIFETIME_SECONDS.maximum,
      },
    };
  }
  const tokenRules: RegisteredClaimRules = {
    issuers,
    audiences: new Set(audiences),
    skewSeconds: clockSkewSeconds,
    maxLifetimeSeconds: positive(options.maxTokenLifetimeSeconds, 86_400, 'maxTokenLifetimeSeconds'),
  };
  const limits = options.limits ?? {};
  const maxTokenLength = positive(
    limits.maxTokenLength,
    MAXIMUM_ACCESS_TOKEN_LENGTH,
    'limits.maxTokenLength',
  );
  const maxHeaderLength = positive(
    limits.maxHeaderLength,
    MAXIMUM_ACCESS_TOKEN_LENGTH + 16,
    'limits.maxHeaderLength',
  );
  const maxChainDepth = positive(limits.maxChainDepth, DEFAULT_MAX_CHAIN_DEPTH, 'limits.maxChainDepth');
  let onBehalfOfAgents: ReadonlySet<string> | undefined;
  if (options.onBehalfOfAgents !== undefined) {
    if (layout !== 'rfc8693') throw new TypeError('onBehalfOfAgents is for the rfc8693 layout only');
    onBehalfOfAgents = new Set(list(options.onBehalfOfAgents, 'onBehalfOfAgents', true));
  }
  const requireDelegation = options.requireDelegation ?? layout !== 'rfc8693';
  const acceptedMethods = new Set(options.delegationMethods ?? delegationMethods);
  const cacheOptions = options.cache === false ? {} : (options.cache ?? {});
  const cache: CacheSettings = {
    enabled: options.cache !== false,
    maxEntries: positive(cacheOptions.maxEntries, 10_000, 'cache.maxEntries'),
    maxAgeMs: positive(cacheOptions.maxAgeSeconds, 300, 'cache.maxAgeSeconds') * 1000,
  };
  const humanPolicy = resolveHumanPolicy(options);
  const humanCacheMs =
    positive(options.humanAuthorizerCacheSeconds, 60, 'humanAuthorizerCacheSeconds') * 1000;
  const { humanAuthorizer, audit, policy } = options;
  for (const [name, value] of [
    ['humanAuthorizer', humanAuthorizer],
    ['audit', audit],
    ['policy', policy],
  ] as const) {
    if (value !== undefined && typeof value !== 'function') throw new TypeError(`${name} must be a function`);
  }
  return {
    clock,
    clockSkewSeconds,
    logger,
    layout,
    profile,
    tokenTypes,
    humanClaim,
    humanRolesClaim: options.humanRolesClaim,
    algorithms,
    audiences,
    tokenKeys,
    tokenRules,
    assertion,
    maxTokenLength,
    maxHeaderLength,
    maxChainDepth,
    onBehalfOfAgents,
    requireDelegation,
    acceptedMethods,
    cache,
    humanAuthorizer,
    humanPolicy,
    humanCacheMs,
    audit,
    policy,
  };
}
