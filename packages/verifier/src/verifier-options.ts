import type { AuditSink, Clock, Delegation, DelegationMethod, Logger, Vendor } from '@dual-auth/core';
import type { JwksOptions } from '@dual-auth/core/jose';
import type { HumanAuthorizer } from './create-static-human-authorizer.ts';
import type { SubjectVerdicts, VerifiedAgent, VerifiedHuman } from './decision.ts';
import type { Layout } from './internal/layout.ts';
import type { JwsAlgorithm, PublicKeyInput } from './internal/verification-key.ts';
import type { TokenClaims, VendorProfile } from './vendor-profile.ts';

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
  /**
   * Most actors in an RFC 8693 chain (nested `act`), the agent included (default 3); a deeper
   * chain is denied `delegation_invalid`.
   */
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
 * The hybrid layout's act assertions (`X-Act-Assertion`): the application's keys, its issuer id and
 * the audience. The same names as the access token's options.
 *
 * @example
 * ```ts
 * createVerifier({ ...options, layout: 'hybrid', hybrid: { jwksUri: 'https://app.example.com/.well-known/jwks.json', issuer: 'https://app.example.com' } });
 * ```
 */
export interface HybridOptions {
  /** The application's fixed keys (or `jwksUri`; exactly one). */
  readonly keys?: VerifierOptions['keys'];
  /** The application's JWKS URL (https; http only on loopback with `allowInsecureLoopback`). */
  readonly jwksUri?: string;
  /** Accepted act assertion issuer(s): the application's `APP_ID`. */
  readonly issuer: string | readonly string[];
  /** Accepted act assertion audience(s); default the verifier's `audience`. */
  readonly audience?: string | readonly string[];
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
  /** Required with `layout: 'hybrid'` (and refused otherwise): how act assertions are checked. */
  readonly hybrid?: HybridOptions;
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
  /**
   * `rfc8693` layout only: the clients accepted as the agent of an on-behalf-of token **without
   * `act`** (Keycloak's exchanged tokens, Okta's `cid`, Entra ID's `azp`); any other client's such
   * token is `token_invalid`. Okta and Entra ID do not mark an exchanged token (a web application's
   * user token has the same form), so without this list every Okta or Entra ID token without `act`
   * is `token_invalid`; Keycloak's, marked `te` in `jti` by the IdP, are read for any client.
   * Tokens with `act` are not affected.
   */
  readonly onBehalfOfAgents?: readonly string[];
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
