import {
  ACT_ASSERTION_HEADER,
  ACT_ASSERTION_TYPE,
  ACT_JWT_LIFETIME_SECONDS,
  ACT_JWT_TYPE,
  AGBAC_VERSION,
  type AuditEvent,
  type AuditSink,
  accessTokenHash,
  type Clock,
  type Delegation,
  type DelegationMethod,
  type DenialCode,
  delegationMethods,
  type Logger,
  MAXIMUM_ACCESS_TOKEN_LENGTH,
  MAXIMUM_ACT_JWT_LENGTH,
  redactText,
  resolveTimeOptions,
  silentLogger,
  type Vendor,
} from '@dual-auth/core';
import type { HumanAuthorization, HumanAuthorizer } from './create-static-human-authorizer.ts';
import type {
  Decision,
  DenyDecision,
  SubjectVerdict,
  SubjectVerdicts,
  VerifiedAgent,
  VerifiedHuman,
} from './decision.ts';
import { verifyCompactJws } from './internal/compact-jws.ts';
import { decideNow } from './internal/decide-now.ts';
import { deepFreeze } from './internal/deep-freeze.ts';
import { Denial, invalid, withAgent } from './internal/deny.ts';
import {
  humanAuthorized,
  humanCheckFor,
  humanRefused,
  humanUnchecked,
  resolveHumanPolicy,
} from './internal/human-policy.ts';
import type { JsonObject } from './internal/json-object.ts';
import {
  createRemoteKeySource,
  createStaticKeySource,
  type JwksOptions,
  type KeySource,
} from './internal/key-source.ts';
import {
  agentIdOf,
  companionClaim,
  type DelegationResult,
  type Layout,
  type NormalizedSubjects,
  normalizeAgbac,
  normalizeRfc8693,
  readDelegation,
  readHumanAct,
} from './internal/layout.ts';
import { AllowRecord, HumanRecord } from './internal/private-fields.ts';
import { checkRegisteredClaims, type RegisteredClaimRules } from './internal/registered-claims.ts';
import {
  correlationIdOf,
  type RequestCredentials,
  readRequestCredentials,
  type VerifyRequestFields,
} from './internal/request-credentials.ts';
import { nodeCrypto } from './internal/runtime.ts';
import { type JwsAlgorithm, type PublicKeyInput, supportedAlgorithms } from './internal/verification-key.ts';
import { type TokenClaims, type VendorProfile, vendorProfiles } from './vendor-profile.ts';

/**
 * What a route requires, checked per call on top of the token's validity. Lists are all-of.
 *
 * @example
 * ```ts
 * await verifier.verify(request, { agentScopes: ['reports.read'], humanRoles: ['finance'], action: 'reports.read' });
 * ```
 */
export interface VerifyRequirements {
  /** Roles the agent must hold (every one), per the vendor profile's role claim. */
  readonly agentRoles?: readonly string[];
  /** Scopes the agent's token must carry (every one). */
  readonly agentScopes?: readonly string[];
  /** Roles the human must hold (every one), from `humanRolesClaim` or the human authorizer. */
  readonly humanRoles?: readonly string[];
  /** The audited action; default the request method. */
  readonly action?: string;
  /** The audited resource; default the request path. */
  readonly resource?: string;
}

/**
 * What a custom {@link PolicyFunction} sees: both verified subjects and the route's requirements.
 *
 * @example
 * ```ts
 * const policy: PolicyFunction = (context: PolicyContext) => (context.chain.length > 2 ? { delegation: { ok: false, reason: 'chain too long' } } : {});
 * ```
 */
export interface PolicyContext {
  readonly agent: VerifiedAgent;
  readonly human: VerifiedHuman;
  readonly delegation: Delegation | undefined;
  readonly chain: readonly string[];
  readonly claims: TokenClaims;
  readonly requirements: VerifyRequirements;
  readonly action: string;
  readonly resource: string;
}

/**
 * A custom check run after the built-in ones. It can only add denials: each subject is allowed
 * when the built-in check AND the custom verdict (if given) allow it.
 *
 * @example
 * ```ts
 * const policy: PolicyFunction = ({ agent, resource }) =>
 *   resource.startsWith('/payroll') && agent.id !== 'payroll-agent'
 *     ? { agent: { ok: false, reason: 'only the payroll agent may touch payroll' } }
 *     : {};
 * ```
 */
export type PolicyFunction = (
  context: PolicyContext,
) => Partial<SubjectVerdicts> | Promise<Partial<SubjectVerdicts>>;

/**
 * Size limits applied before any parsing.
 *
 * @example
 * ```ts
 * createVerifier({ ...options, limits: { maxTokenLength: 8192, maxChainDepth: 3 } });
 * ```
 */
export interface VerifierLimits {
  /** Longest access token, characters (default 16,384). */
  readonly maxTokenLength?: number;
  /** Longest `Authorization` or `X-Act-Assertion` header, characters (default 16,400). */
  readonly maxHeaderLength?: number;
  /** Deepest RFC 8693 actor chain (default 5). */
  readonly maxChainDepth?: number;
}

/**
 * The verified-token cache.
 *
 * @example
 * ```ts
 * createVerifier({ ...options, cache: { maxEntries: 50_000, maxAgeSeconds: 120 } });
 * ```
 */
export interface VerifiedTokenCacheOptions {
  /** Most tokens kept (default 10,000); the oldest is dropped first. */
  readonly maxEntries?: number;
  /** Longest a verification is reused, seconds (default 300); never past the token's `exp`. */
  readonly maxAgeSeconds?: number;
}

/**
 * Options of {@link createVerifier}.
 *
 * @example
 * ```ts
 * const options: VerifierOptions = {
 *   issuer,
 *   audience: 'finance-api',
 *   jwksUri,
 *   vendor: 'keycloak',
 *   layout: 'agbac',
 *   humanAuthorizer: createStaticHumanAuthorizer({ 'f1d2…-alice': { roles: ['finance'] } }),
 * };
 * ```
 */
export interface VerifierOptions {
  /** Accepted `iss` value(s), compared as exact strings (Auth0's trailing slash included). */
  readonly issuer: string | readonly string[];
  /** Accepted `aud` value(s): the API's identifier. */
  readonly audience: string | readonly string[];
  /** The IdP's JWKS URL (https; http only on loopback with `allowInsecureLoopback`). */
  readonly jwksUri?: string;
  /** Or fixed keys: a JWKS, a JWK, a PEM public key, a `KeyObject`, or an array of these. */
  readonly keys?: PublicKeyInput | readonly PublicKeyInput[] | { readonly keys: readonly object[] };
  /** Where the vendor keeps the agent id, roles and scopes, and its access tokens' `typ`. */
  readonly vendor: Vendor | VendorProfile;
  /** The delegation layout of the tokens this API receives: never guessed per token. */
  readonly layout: Layout;
  /**
   * The claim holding the human in the `agbac` layout: `act` (default) or a namespaced claim such as
   * `https://dual-auth.dev/act`, whose `delegation` and `agbac_ver` are then read from the same
   * namespace (`https://dual-auth.dev/delegation`), as the Auth0 Action writes them.
   */
  readonly humanClaim?: string;
  /** Hybrid layout: the application's keys for act assertions (or `actAssertionJwksUri`). */
  readonly actAssertionKeys?: VerifierOptions['keys'];
  readonly actAssertionJwksUri?: string;
  /** Hybrid layout: accepted act assertion issuer(s) (the application's `APP_ID`). */
  readonly actAssertionIssuer?: string | readonly string[];
  /** Hybrid layout: accepted act assertion audience(s); default `audience`. */
  readonly actAssertionAudience?: string | readonly string[];
  /** Allowed JWS algorithms (default RS256, PS256, ES256, ES384, EdDSA, Ed25519). */
  readonly algorithms?: readonly JwsAlgorithm[];
  /** Longest accepted access token lifetime `exp - iat`, seconds (default 86,400). */
  readonly maxTokenLifetimeSeconds?: number;
  /**
   * Claim (in the human's object: `act`, the act assertion's `act`, or the RFC 8693 token) listing
   * the human's roles, checked against each route's `humanRoles`. A route that requires none leaves
   * the human unchecked (`human_unchecked`) unless `humanAuthorizer` or `humanAuthorizedByIdp` is set.
   */
  readonly humanRolesClaim?: string;
  /** Looks humans up (roles, delegable agents); answers are cached. A human it does not know is denied. */
  readonly humanAuthorizer?: HumanAuthorizer;
  /**
   * **Trust the IdP's word on the human.** `true` means the IdP authorized the human before issuing
   * the token (Keycloak with dual-auth's act mapper, which refuses unapproved humans; an Auth0
   * Action that does the same; RFC 8693 token exchange under a policy), so a route that requires no
   * `humanRoles` allows any human the token names. Only for `layout: 'agbac'` and `'rfc8693'`; with
   * `'hybrid'` the IdP never sees the human, and `createVerifier` throws.
   *
   * One of `humanAuthorizer`, `humanRolesClaim` and `humanAuthorizedByIdp: true` is required: a
   * human who is merely present is never authorized.
   */
  readonly humanAuthorizedByIdp?: boolean;
  /** Seconds a human authorizer's answer is reused (default 60). */
  readonly humanAuthorizerCacheSeconds?: number;
  /** Whether a delegation claim is required (default true, false for `rfc8693`). */
  readonly requireDelegation?: boolean;
  /** Delegation methods accepted (default all of AGBAC's: explicit, implicit, system). */
  readonly delegationMethods?: readonly DelegationMethod[];
  /** A custom policy AND-ed with the built-in checks. */
  readonly policy?: PolicyFunction;
  /** Receives exactly one AGBAC audit event per decision. */
  readonly audit?: AuditSink;
  readonly clock?: Clock;
  /** Tolerance for `exp`, `nbf`, `iat` and delegation times, seconds (default 30). */
  readonly clockSkewSeconds?: number;
  readonly limits?: VerifierLimits;
  /** The verified-token cache, or `false` to verify every call in full. */
  readonly cache?: VerifiedTokenCacheOptions | false;
  /** JWKS caching behaviour. */
  readonly jwks?: JwksOptions;
  readonly logger?: Logger;
  /** Used for JWKS requests (default global `fetch`). */
  readonly fetch?: typeof fetch;
  /** Accept `http:` JWKS URLs on loopback hosts (tests, local demos). */
  readonly allowInsecureLoopback?: boolean;
}

/**
 * What {@link Verifier.verify} accepts: a `Request`, its `Headers`, or the header values.
 *
 * @example
 * ```ts
 * await verifier.verify({ authorization: req.headers.authorization, method: req.method, path: req.path });
 * ```
 */
export type VerifyInput = Request | Headers | VerifyRequestFields;

/**
 * The resource server's enforcement point, built by {@link createVerifier}.
 *
 * @example
 * ```ts
 * const decision = await verifier.verify(request, { agentRoles: ['reports.read'], humanRoles: ['finance'] });
 * ```
 */
export interface Verifier {
  /** Decides one request; never throws for a bad token (the denial is in the decision). */
  verify(input: VerifyInput, requirements?: VerifyRequirements): Promise<Decision>;
}

/**
 * The missing-credentials reason: RFC 6750 answers it without an `error` attribute.
 *
 * @example
 * ```ts
 * if (!decision.allow && decision.reason === MISSING_TOKEN_REASON) challengeOnly();
 * ```
 */
export const MISSING_TOKEN_REASON = 'no bearer token';

interface VerifiedToken {
  /** The full `Authorization` value this verification is for. */
  readonly key: string;
  readonly subjects: NormalizedSubjects | undefined;
  readonly agent: VerifiedAgent;
  readonly claims: TokenClaims;
  readonly exp: number;
  readonly cachedUntil: number;
  ath: string | undefined;
}

interface VerifiedAssertion {
  /** The full act assertion this verification is for. */
  readonly key: string;
  readonly act: NonNullable<NormalizedSubjects['act']>;
  readonly source: TokenClaims;
  readonly delegation: DelegationResult | undefined;
  readonly clientId: string;
  readonly ath: string;
  readonly exp: number;
  readonly cachedUntil: number;
}

interface CacheEntry {
  readonly key: string;
  readonly exp: number;
  readonly cachedUntil: number;
}

/**
 * Where a token's verification sits in a cache: the end of its signature. A fresh header string
 * would otherwise be hashed whole on every request (about 2 µs for a 1 KB token); the entry found
 * there is used only when its full string equals the token, so the cache stays keyed by the full
 * token, never by a part of it, and two tokens sharing an ending merely evict each other.
 */
function cacheSlot(value: string): string {
  return value.length <= 64 ? value : value.slice(-48);
}

/**
 * Whether `value` is a promise of any kind: a native one, another realm's, or a library's thenable.
 * `instanceof Promise` alone would read a foreign promise as a plain value — for a policy result,
 * as "no extra denials".
 */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Calls `next` with `value` now when it is at hand, or once it settles when it is a promise. Only
 * the verifier's own steps pass through here, and they make native promises (a human authorizer's
 * answer is wrapped in one), so `instanceof` suffices: on a cache hit, looking up `then` on each
 * step's value would cost about a tenth of the decision. A policy's or audit sink's result, which
 * may be any thenable, is checked with {@link isThenable} where it is received.
 */
function then<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** A frozen copy of a human authorizer's answer, its lists included. */
function ownAnswer(answer: HumanAuthorization | undefined): HumanAuthorization | undefined {
  if (typeof answer !== 'object' || answer === null) return answer;
  const copy = (items: unknown) => (Array.isArray(items) ? Object.freeze([...items]) : items);
  return Object.freeze({
    ...answer,
    roles: copy(answer.roles),
    agents: copy(answer.agents),
  }) as HumanAuthorization;
}

interface HumanCacheEntry {
  value: Promise<HumanAuthorization | undefined>;
  readonly until: number;
  settled: boolean;
  answer: HumanAuthorization | undefined;
}

interface Outcome {
  readonly agent: VerifiedAgent;
  readonly human: VerifiedHuman;
  readonly delegation: Delegation | undefined;
  readonly chain: readonly string[];
  readonly claims: TokenClaims;
  readonly subjects: SubjectVerdicts;
  readonly action: string;
  readonly resource: string;
}

/** The request path for the audit trail, with any email or token in it masked. */
function safePath(path: string | undefined): string {
  if (path === undefined) return 'unknown';
  // Frameworks hand the path over still percent-encoded: `alice%40example.com` is an email too.
  // Decoding only a path that has an escape: decodeURIComponent on every cache hit costs ~0.2 µs.
  let decoded = path;
  if (path.includes('%')) {
    try {
      decoded = decodeURIComponent(path);
    } catch {
      // A malformed escape: look at the path as it is.
    }
  }
  return decoded.includes('@') || decoded.includes('eyJ') ? redactText(decoded) : path;
}

const noCredentials: RequestCredentials = Object.freeze({
  authorization: undefined,
  actAssertion: undefined,
  method: undefined,
  path: undefined,
  requestId: undefined,
  traceparent: undefined,
});

const allowed: SubjectVerdict = Object.freeze({ ok: true, reason: 'authorized' });
const notEvaluated = (reason: string): SubjectVerdict => ({ ok: false, reason });

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

/** Whether `authorization` is `Bearer ` (scheme in any case) and something after it. */
function hasBearerScheme(authorization: string): boolean {
  if (authorization.length < 8) return false;
  // The spelling every client sends, compared without building a lower-cased copy.
  if (authorization.startsWith('Bearer ')) return true;
  return authorization.slice(0, 7).toLowerCase() === 'bearer ';
}

let lastTyp: string | undefined;
let lastNormalizedTyp = '';

function normalizeTyp(value: unknown): string | undefined {
  if (value === undefined) return '';
  if (typeof value !== 'string') return undefined;
  // An IdP's tokens share one header, so one `typ` string: normalized once, not on every token.
  if (value === lastTyp) return lastNormalizedTyp;
  const lower = value.toLowerCase();
  lastNormalizedTyp = lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
  lastTyp = value;
  return lastNormalizedTyp;
}

const actTypes = new Set([normalizeTyp(ACT_JWT_TYPE), normalizeTyp(ACT_ASSERTION_TYPE)]);

/** Keeps the newest `maxEntries` values, dropping the oldest inserted first. */
function boundedSet<V>(cache: Map<string, V>, key: string, value: V, maxEntries: number): void {
  if (cache.size >= maxEntries) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(key, value);
}

function hasAll(
  held: readonly string[] | undefined,
  required: readonly string[] | undefined,
): string | undefined {
  if (required === undefined) return undefined;
  for (const item of required) if (held === undefined || !held.includes(item)) return item;
  return undefined;
}

/**
 * Creates the resource server's enforcement point (PEP): it verifies the access token (and, in the
 * hybrid layout, the act assertion), reads agent, human and delegation in the configured layout,
 * allows only when all three are authorized, and emits one AGBAC audit event per decision. Throws a
 * `TypeError` for bad options, among them a missing human policy (`humanAuthorizer`,
 * `humanRolesClaim` or `humanAuthorizedByIdp`).
 *
 * @example
 * ```ts
 * const verifier = createVerifier({
 *   issuer: 'https://sso.example.com/realms/acme',
 *   audience: 'finance-api',
 *   jwksUri: 'https://sso.example.com/realms/acme/protocol/openid-connect/certs',
 *   vendor: 'keycloak',
 *   layout: 'agbac',
 *   // The human policy is required: a directory, a roles claim, or the IdP's word (agbac, rfc8693).
 *   humanAuthorizer: createStaticHumanAuthorizer({ 'f1d2…-alice': { roles: ['finance'] } }),
 * });
 * const decision = await verifier.verify(request, { agentRoles: ['finance.read'], humanRoles: ['finance'] });
 * if (!decision.allow) return new Response(null, { status: decision.status });
 * ```
 */
export function createVerifier(options: VerifierOptions): Verifier {
  if (typeof options !== 'object' || options === null) throw new TypeError('options are required');
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
  let assertionKeys: KeySource | undefined;
  let assertionRules: RegisteredClaimRules | undefined;
  if (layout === 'hybrid') {
    assertionKeys = keySource(options.actAssertionKeys, options.actAssertionJwksUri, 'actAssertion');
    assertionRules = {
      issuers: new Set(list(options.actAssertionIssuer, 'actAssertionIssuer', true)),
      audiences: new Set(
        options.actAssertionAudience === undefined
          ? audiences
          : list(options.actAssertionAudience, 'actAssertionAudience', true),
      ),
      skewSeconds: clockSkewSeconds,
      maxLifetimeSeconds: ACT_JWT_LIFETIME_SECONDS.maximum,
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
  const maxChainDepth = positive(limits.maxChainDepth, 5, 'limits.maxChainDepth');
  const requireDelegation = options.requireDelegation ?? layout !== 'rfc8693';
  const acceptedMethods = new Set(options.delegationMethods ?? delegationMethods);
  const cacheEnabled = options.cache !== false;
  const cacheOptions = options.cache === false ? {} : (options.cache ?? {});
  const cacheEntries = positive(cacheOptions.maxEntries, 10_000, 'cache.maxEntries');
  const cacheAgeMs = positive(cacheOptions.maxAgeSeconds, 300, 'cache.maxAgeSeconds') * 1000;
  const tokenCache = new Map<string, VerifiedToken>();
  const assertionCache = new Map<string, VerifiedAssertion>();
  const humanAuthorizer = options.humanAuthorizer;
  const humanPolicy = resolveHumanPolicy(options);
  const humanCacheMs =
    positive(options.humanAuthorizerCacheSeconds, 60, 'humanAuthorizerCacheSeconds') * 1000;
  const humanCache = new Map<string, HumanCacheEntry>();
  const audit = options.audit;
  const policy = options.policy;
  for (const [name, value] of [
    ['humanAuthorizer', humanAuthorizer],
    ['audit', audit],
    ['policy', policy],
  ] as const) {
    if (value !== undefined && typeof value !== 'function') throw new TypeError(`${name} must be a function`);
  }

  function completeToken(
    verified: { header: JsonObject; payload: JsonObject },
    cacheKey: string,
    now: number,
  ): VerifiedToken {
    const { header, payload } = verified;
    const typ = normalizeTyp(header.typ);
    if (typ === undefined || actTypes.has(typ)) invalid('access token typ is an act JWT or act assertion');
    if (!tokenTypes.has(typ)) invalid('access token typ is not accepted');
    const exp = checkRegisteredClaims(payload, tokenRules, Math.floor(now / 1000), 'access token');
    const rejected = profile.rejectPayload?.(payload);
    if (rejected !== undefined) invalid(`access token ${rejected}`);
    let subjects: NormalizedSubjects | undefined;
    let agentId: string;
    if (layout === 'agbac') {
      subjects = normalizeAgbac(payload, profile, humanClaim);
      agentId = subjects.agentId;
    } else if (layout === 'rfc8693') {
      subjects = normalizeRfc8693(payload, profile, maxChainDepth);
      agentId = subjects.agentId;
    } else {
      agentId = agentIdOf(payload, profile);
      if (
        payload[humanClaim] !== undefined ||
        payload[companionClaim(humanClaim, 'delegation')] !== undefined ||
        payload.delegation !== undefined
      ) {
        invalid('access token carries a human where the hybrid layout expects a plain agent token');
      }
    }
    // The cached entry is shared by every request with this token: what it hands out is frozen.
    // `act` and `delegation` come frozen from layout.ts; the claims are frozen when first handed
    // out (the allow decision's `claims` getter, the policy's context), so a token whose claims
    // nobody reads costs nothing.
    if (subjects !== undefined) {
      Object.freeze(subjects.chain);
      Object.freeze(subjects);
    }
    const entry: VerifiedToken = {
      key: cacheKey,
      subjects,
      agent: Object.freeze({
        id: agentId,
        roles: Object.freeze(profile.agentRoles(payload, audiences)),
        scopes: Object.freeze(profile.agentScopes(payload)),
      }),
      claims: payload,
      exp,
      cachedUntil: now + cacheAgeMs,
      ath: undefined,
    };
    if (cacheEnabled) boundedSet(tokenCache, cacheSlot(cacheKey), entry, cacheEntries);
    return entry;
  }

  /**
   * A cached verification of exactly `key` (the full string, compared whole), if it is still valid
   * now: checked on every call, never past `exp`.
   */
  function freshEntry<T extends CacheEntry>(cache: Map<string, T>, key: string, now: number): T | undefined {
    const slot = cacheSlot(key);
    const cached = cache.get(slot);
    if (cached === undefined || cached.key !== key) return undefined;
    if (cached.exp > Math.floor(now / 1000) - clockSkewSeconds && now < cached.cachedUntil) return cached;
    cache.delete(slot);
    return undefined;
  }

  /**
   * The verified token behind an `Authorization` value. The cache is keyed by the whole header
   * value, i.e. `Bearer ` and the full token string (see `cacheSlot`).
   */
  function verifyToken(
    authorization: string,
    raw: string,
    now: number,
  ): VerifiedToken | Promise<VerifiedToken> {
    const cached = cacheEnabled ? freshEntry(tokenCache, authorization, now) : undefined;
    if (cached !== undefined) return cached;
    const verified = verifyCompactJws(raw, tokenKeys, algorithms, 'access token');
    if (verified instanceof Promise)
      return verified.then((result) => completeToken(result, authorization, clock()));
    return completeToken(verified, authorization, now);
  }

  function completeAssertion(
    verified: { header: JsonObject; payload: JsonObject },
    assertion: string,
    now: number,
  ) {
    const { header, payload } = verified;
    if (normalizeTyp(header.typ) !== normalizeTyp(ACT_ASSERTION_TYPE))
      invalid('act assertion typ is not act-assertion+jwt', 'human');
    const exp = checkRegisteredClaims(
      payload,
      assertionRules as RegisteredClaimRules,
      Math.floor(now / 1000),
      'act assertion',
    );
    if (typeof payload.jti !== 'string' || payload.jti.length === 0)
      invalid('act assertion has no jti', 'human');
    if (payload.agbac_ver !== AGBAC_VERSION)
      invalid(`act assertion agbac_ver is not ${AGBAC_VERSION}`, 'human');
    if (typeof payload.client_id !== 'string' || typeof payload.ath !== 'string') {
      invalid('act assertion is not bound to a token (client_id and ath required)', 'human');
    }
    const { act, source } = readHumanAct(payload.act, 'act assertion');
    const entry: VerifiedAssertion = {
      key: assertion,
      act,
      source,
      delegation: readDelegation(payload.delegation),
      clientId: payload.client_id,
      ath: payload.ath,
      exp,
      cachedUntil: now + cacheAgeMs,
    };
    if (cacheEnabled) boundedSet(assertionCache, cacheSlot(assertion), entry, cacheEntries);
    return entry;
  }

  function verifyAssertion(assertion: string, now: number): VerifiedAssertion | Promise<VerifiedAssertion> {
    const cached = freshEntry(assertionCache, assertion, now);
    if (cached !== undefined) return cached;
    if (assertion.length > MAXIMUM_ACT_JWT_LENGTH) invalid('act assertion is too large', 'human');
    const verified = verifyCompactJws(assertion, assertionKeys as KeySource, algorithms, 'act assertion');
    if (verified instanceof Promise)
      return verified.then((result) => completeAssertion(result, assertion, clock()));
    return completeAssertion(verified, assertion, now);
  }

  function hashOf(token: VerifiedToken, raw: string): string | Promise<string> {
    if (token.ath !== undefined) return token.ath;
    if (nodeCrypto !== undefined) {
      token.ath = nodeCrypto.createHash('sha256').update(raw).digest('base64url');
      return token.ath;
    }
    return accessTokenHash(raw).then((ath) => {
      token.ath = ath;
      return ath;
    });
  }

  function hybridSubjects(
    token: VerifiedToken,
    raw: string,
    assertion: string | undefined,
    now: number,
  ): NormalizedSubjects | Promise<NormalizedSubjects> {
    if (assertion === undefined || assertion === '')
      invalid(`no act assertion (${ACT_ASSERTION_HEADER} header)`, 'human');
    if (assertion.length > maxHeaderLength) invalid('act assertion header is too large', 'human');
    return then(verifyAssertion(assertion.trim(), now), (verified) =>
      then(hashOf(token, raw), (ath): NormalizedSubjects => {
        if (verified.ath !== ath) invalid('act assertion is bound to another access token (ath)', 'human');
        if (verified.clientId !== token.agent.id)
          invalid('act assertion is bound to another agent (client_id)', 'human');
        if (verified.act.sub === token.agent.id)
          invalid('act assertion names the agent as the human', 'human');
        return {
          agentId: token.agent.id,
          humanId: verified.act.sub,
          act: verified.act,
          humanSource: verified.source,
          delegation: verified.delegation,
          chain: [token.agent.id],
        };
      }),
    );
  }

  function lookUpHuman(
    humanId: string,
    now: number,
  ): HumanAuthorization | undefined | Promise<HumanAuthorization | undefined> {
    const cached = humanCache.get(humanId);
    if (cached !== undefined && now < cached.until) return cached.settled ? cached.answer : cached.value;
    const entry: HumanCacheEntry = {
      value: Promise.resolve(undefined),
      until: now + humanCacheMs,
      settled: false,
      answer: undefined,
    };
    entry.value = Promise.resolve()
      .then(() => (humanAuthorizer as HumanAuthorizer)({ humanId }))
      .then(
        (answer) => {
          // Cached and shared (`human.roles` of every decision for this human): a frozen copy,
          // so neither a handler nor the authorizer's own later writes change other decisions.
          const own = ownAnswer(answer);
          entry.settled = true;
          entry.answer = own;
          return own;
        },
        (error: unknown) => {
          humanCache.delete(humanId);
          logger.warn('human authorizer failed', {
            problem: error instanceof Error ? error.name : 'unknown',
          });
          throw new Denial('idp_unavailable', 'the human authorizer is unavailable', 'human');
        },
      );
    boundedSet(humanCache, humanId, entry, cacheEntries);
    return entry.value;
  }

  function rolesFromClaim(source: TokenClaims): readonly string[] | undefined {
    if (options.humanRolesClaim === undefined) return undefined;
    const value = source[options.humanRolesClaim];
    if (typeof value === 'string') return value.split(' ').filter((item) => item !== '');
    return Array.isArray(value)
      ? value.filter((item): item is string => typeof item === 'string')
      : undefined;
  }

  function judgeDelegation(
    result: DelegationResult | undefined,
    nowSeconds: number,
    agentId: string,
    directory: HumanAuthorization | undefined,
  ): SubjectVerdict {
    if (result === undefined) return requireDelegation ? notEvaluated('delegation claim missing') : allowed;
    if (!result.ok) return notEvaluated(`delegation claim invalid (${result.problem})`);
    const { delegation } = result;
    if (!acceptedMethods.has(delegation.method))
      return notEvaluated(`delegation method ${delegation.method} is not accepted`);
    if (delegation.grantedAt > nowSeconds + clockSkewSeconds)
      return notEvaluated('delegation granted in the future');
    if (delegation.expiresAt !== undefined && delegation.expiresAt <= nowSeconds - clockSkewSeconds) {
      return notEvaluated('delegation has expired');
    }
    const agents = directory?.agents;
    if (agents !== undefined && agents !== '*' && !agents.includes(agentId)) {
      return notEvaluated('the human may not delegate to this agent');
    }
    return allowed;
  }

  function decide(
    credentials: RequestCredentials,
    requirements: VerifyRequirements,
    now: number,
  ): Decision | Promise<Decision> {
    const { authorization } = credentials;
    if (authorization === undefined || authorization === '') invalid(MISSING_TOKEN_REASON);
    if (authorization.length > maxHeaderLength) invalid('authorization header is too large');
    if (!hasBearerScheme(authorization)) invalid('authorization is not a Bearer token');
    const raw = authorization.slice(7).trim();
    if (raw.length > maxTokenLength) invalid('access token is too large');
    // Each step runs at once when its input is at hand (Node, cached keys, cached answers), so
    // the common path makes no promise until verify() hands back its result.
    return then(verifyToken(authorization, raw, now), (token) => {
      // From here on the agent is verified: a refusal (act assertion, human authorizer) still
      // names it in the decision and the audit event.
      try {
        const decision = then(
          token.subjects ?? hybridSubjects(token, raw, credentials.actAssertion, now),
          (subjects) =>
            then(
              humanAuthorizer === undefined ? undefined : lookUpHuman(subjects.humanId, now),
              (directory) => judge(credentials, requirements, now, token, subjects, directory),
            ),
        );
        return decision instanceof Promise
          ? decision.catch((error: unknown) => {
              throw withAgent(error, token.agent);
            })
          : decision;
      } catch (error) {
        throw withAgent(error, token.agent);
      }
    });
  }

  /**
   * The human's verdict: a check must apply to this request (presence is never authorization),
   * and every check that applies must pass.
   */
  function judgeHuman(
    required: readonly string[] | undefined,
    held: readonly string[] | undefined,
    directory: HumanAuthorization | undefined,
  ): SubjectVerdict {
    const check = humanCheckFor(humanPolicy, required);
    if (check === undefined) return humanUnchecked;
    if (humanAuthorizer !== undefined && directory === undefined)
      return humanRefused('authorizer', 'the human is unknown to the human authorizer');
    const missing = hasAll(held, required);
    if (missing !== undefined) return humanRefused('roles', `the human lacks role ${missing}`);
    return humanAuthorized(check);
  }

  function judge(
    credentials: RequestCredentials,
    requirements: VerifyRequirements,
    now: number,
    token: VerifiedToken,
    subjects: NormalizedSubjects,
    directory: HumanAuthorization | undefined,
  ): Decision | Promise<Decision> {
    const { agent } = token;
    let humanRoles = rolesFromClaim(subjects.humanSource);
    if (humanAuthorizer !== undefined && directory !== undefined) {
      humanRoles = humanRoles === undefined ? directory.roles : [...humanRoles, ...directory.roles];
    }
    const human: VerifiedHuman = new HumanRecord(subjects.humanId, humanRoles, subjects.act);
    const humanVerdict = judgeHuman(requirements.humanRoles, humanRoles, directory);
    const missingAgentRole = hasAll(agent.roles, requirements.agentRoles);
    const missingScope = hasAll(agent.scopes, requirements.agentScopes);
    const agentVerdict =
      missingAgentRole !== undefined
        ? notEvaluated(`the agent lacks role ${missingAgentRole}`)
        : missingScope !== undefined
          ? notEvaluated(`the agent lacks scope ${missingScope}`)
          : allowed;
    const delegationVerdict = judgeDelegation(
      subjects.delegation,
      Math.floor(now / 1000),
      agent.id,
      directory,
    );
    const delegation = subjects.delegation?.ok === true ? subjects.delegation.delegation : undefined;
    const action = requirements.action ?? credentials.method ?? 'unknown';
    const resource = requirements.resource ?? safePath(credentials.path);
    const outcome: Outcome = {
      agent,
      human,
      delegation,
      chain: subjects.chain,
      claims: token.claims,
      subjects: { agent: agentVerdict, human: humanVerdict, delegation: delegationVerdict },
      action,
      resource,
    };
    if (policy === undefined) return finish(credentials, now, outcome);
    const failedPolicy = (error: unknown): Partial<SubjectVerdicts> => {
      logger.error('policy function failed', { problem: error instanceof Error ? error.name : 'unknown' });
      const failed = notEvaluated('the policy function failed');
      return { agent: failed, human: failed, delegation: failed };
    };
    let custom: Partial<SubjectVerdicts> | Promise<Partial<SubjectVerdicts>>;
    try {
      custom = policy({ ...outcome, claims: deepFreeze(outcome.claims), requirements });
    } catch (error) {
      custom = failedPolicy(error);
    }
    const apply = (returned: Partial<SubjectVerdicts>) => {
      // A policy can only add denials; one that returns no verdicts object is a broken policy.
      const verdicts =
        typeof returned === 'object' && returned !== null
          ? returned
          : failedPolicy(new TypeError('the policy returned no verdicts'));
      const and = (builtIn: SubjectVerdict, extra: SubjectVerdict | undefined) =>
        builtIn.ok && extra?.ok === false ? notEvaluated(String(extra.reason)) : builtIn;
      const combined: SubjectVerdicts = {
        agent: and(agentVerdict, verdicts.agent),
        human: and(humanVerdict, verdicts.human),
        delegation: and(delegationVerdict, verdicts.delegation),
      };
      return finish(credentials, now, { ...outcome, subjects: combined });
    };
    return isThenable(custom) ? Promise.resolve(custom).catch(failedPolicy).then(apply) : apply(custom);
  }

  function finish(credentials: RequestCredentials, now: number, outcome: Outcome): Decision {
    const { subjects } = outcome;
    const failed = !subjects.agent.ok
      ? subjects.agent
      : !subjects.human.ok
        ? subjects.human
        : !subjects.delegation.ok
          ? subjects.delegation
          : undefined;
    const code: DenialCode | undefined =
      failed === undefined
        ? undefined
        : failed === subjects.agent
          ? 'agent_denied'
          : failed === subjects.human
            ? failed === humanUnchecked
              ? 'human_unchecked'
              : 'human_denied'
            : 'delegation_invalid';
    const auditEventId = auditEvent(
      credentials,
      now,
      outcome.agent.id,
      outcome.human.id,
      outcome.action,
      outcome.resource,
      failed?.reason ?? 'allowed',
      code,
      outcome.delegation,
      outcome.chain,
    );
    if (code === undefined) {
      return new AllowRecord({
        agent: outcome.agent,
        human: outcome.human,
        delegation: outcome.delegation,
        chain: outcome.chain,
        claims: outcome.claims,
        subjects,
        auditEventId,
      });
    }
    const reason = (failed as SubjectVerdict).reason;
    logger.debug('request denied', { code, reason });
    const decision: DenyDecision = {
      allow: false,
      code,
      reason,
      status: 403,
      agent: outcome.agent,
      human: outcome.human,
      subjects,
      auditEventId,
    };
    return decision;
  }

  let lastTimestampMs = Number.NaN;
  let lastTimestamp = '';
  // Decisions come many to a millisecond under load: format each millisecond once.
  function isoTimestamp(now: number): string {
    if (now !== lastTimestampMs) {
      lastTimestamp = new Date(now).toISOString();
      lastTimestampMs = now;
    }
    return lastTimestamp;
  }

  function emit(event: AuditEvent): void {
    if (audit === undefined) return;
    try {
      const pending: unknown = audit(event);
      if (isThenable(pending)) {
        Promise.resolve(pending).catch((error: unknown) =>
          logger.error('audit sink failed', { problem: error instanceof Error ? error.name : 'unknown' }),
        );
      }
    } catch (error) {
      logger.error('audit sink failed', { problem: error instanceof Error ? error.name : 'unknown' });
    }
  }

  function auditEvent(
    credentials: RequestCredentials,
    now: number,
    agentId: string | undefined,
    humanId: string | undefined,
    action: string,
    resource: string,
    reason: string,
    denial: DenialCode | undefined,
    delegation: Delegation | undefined,
    chain: readonly string[] | undefined,
  ): string {
    const id = crypto.randomUUID();
    if (audit === undefined) return id;
    const context: {
      grantedAt?: number;
      expiresAt?: number;
      intentSummary?: string;
      chain?: readonly string[];
    } = {};
    if (delegation !== undefined) {
      context.grantedAt = delegation.grantedAt;
      if (delegation.expiresAt !== undefined) context.expiresAt = delegation.expiresAt;
      if (delegation.intentSummary !== undefined) context.intentSummary = delegation.intentSummary;
    }
    if (chain !== undefined) context.chain = chain;
    const event: AuditEvent =
      denial === undefined
        ? {
            id,
            timestamp: isoTimestamp(now),
            correlationId: correlationIdOf(credentials, id),
            agentId,
            humanId,
            action,
            resource,
            delegationType: delegation?.method,
            delegationContext: context,
            decision: 'allow',
            reason,
          }
        : {
            id,
            timestamp: isoTimestamp(now),
            correlationId: correlationIdOf(credentials, id),
            agentId,
            humanId,
            action,
            resource,
            delegationType: delegation?.method,
            delegationContext: context,
            decision: 'deny',
            reason,
            denial,
          };
    emit(event);
    return id;
  }

  function verify(input: VerifyInput, requirements?: VerifyRequirements): Promise<Decision> {
    const decision = decideImmediately(input, requirements);
    return decision instanceof Promise ? decision : Promise.resolve(decision);
  }

  function decideImmediately(
    input: VerifyInput,
    requirements: VerifyRequirements = {},
  ): Decision | Promise<Decision> {
    const now = clock();
    let credentials: RequestCredentials;
    try {
      credentials = readRequestCredentials(input);
    } catch {
      credentials = noCredentials;
    }
    try {
      const decision = decide(credentials, requirements, now);
      if (decision instanceof Promise) {
        return decision.catch((error) => deny(error, credentials, requirements, now));
      }
      return decision;
    } catch (error) {
      return deny(error, credentials, requirements, now);
    }
  }

  function deny(
    error: unknown,
    credentials: RequestCredentials,
    requirements: VerifyRequirements,
    now: number,
  ): DenyDecision {
    const denial =
      error instanceof Denial ? error : new Denial('token_invalid', 'the request could not be verified');
    if (!(error instanceof Denial)) {
      logger.error('verification failed unexpectedly', {
        problem: error instanceof Error ? error.name : 'unknown',
      });
    }
    const pending = notEvaluated(`not evaluated: ${denial.message}`);
    const failed = notEvaluated(denial.message);
    const subjects: SubjectVerdicts =
      denial.subject === 'human'
        ? { agent: allowed, human: failed, delegation: pending }
        : denial.subject === 'agent'
          ? { agent: failed, human: pending, delegation: pending }
          : { agent: failed, human: failed, delegation: failed };
    const agent = denial.agent;
    const auditEventId = auditEvent(
      credentials,
      now,
      agent?.id,
      undefined,
      requirements.action ?? credentials.method ?? 'unknown',
      requirements.resource ?? safePath(credentials.path),
      denial.message,
      denial.code,
      undefined,
      undefined,
    );
    logger.debug('request denied', { code: denial.code, reason: denial.message });
    const decision: DenyDecision = {
      allow: false,
      code: denial.code,
      reason: denial.message,
      status: denial.httpStatus,
      subjects,
      auditEventId,
    };
    return agent === undefined ? decision : { ...decision, agent };
  }

  return Object.freeze({ verify, [decideNow]: decideImmediately });
}
