import type { AuditSink, Clock, Delegation, DelegationMethod, Logger, Vendor } from '@dual-auth/core';
import type { JwksOptions } from '@dual-auth/core/jose';
import type { HumanAuthorization, HumanAuthorizer } from './create-static-human-authorizer.ts';
import type { Decision, SubjectVerdicts, VerifiedAgent, VerifiedHuman } from './decision.ts';
import { decideNow } from './internal/decide-now.ts';
import { deepFreeze } from './internal/deep-freeze.ts';
import { withAgent } from './internal/deny.ts';
import type { Layout, NormalizedSubjects } from './internal/layout.ts';
import { applyPolicy } from './internal/pipeline/apply-policy.ts';
import { auditedAction, auditedResource, createAuditTrail } from './internal/pipeline/audit.ts';
import {
  bearerTokenOf,
  createAccessTokenCheck,
  type VerifiedToken,
} from './internal/pipeline/check-access-token.ts';
import { type ActAssertionCheck, createActAssertionCheck } from './internal/pipeline/check-act-assertion.ts';
import { finishDecision, type JudgedRequest } from './internal/pipeline/finish-decision.ts';
import { denialOf, humanRolesOf, type JudgeRules, judge } from './internal/pipeline/judge.ts';
import { createHumanLookup } from './internal/pipeline/look-up-human.ts';
import { andThen } from './internal/pipeline/maybe-async.ts';
import { refuseRequest } from './internal/pipeline/refuse-request.ts';
import { type AssertionSettings, resolveOptions } from './internal/pipeline/resolve-options.ts';
import { HumanRecord } from './internal/private-fields.ts';
import {
  type RequestCredentials,
  readRequestCredentials,
  type VerifyRequestFields,
} from './internal/request-credentials.ts';
import type { JwsAlgorithm, PublicKeyInput } from './internal/verification-key.ts';
import type { TokenClaims, VendorProfile } from './vendor-profile.ts';

export { MISSING_TOKEN_REASON } from './internal/pipeline/check-access-token.ts';

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

const noCredentials: RequestCredentials = Object.freeze({
  authorization: undefined,
  actAssertion: undefined,
  method: undefined,
  path: undefined,
  requestId: undefined,
  traceparent: undefined,
});

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
  const resolved = resolveOptions(options);
  const { clock, logger, policy, humanAuthorizer, humanRolesClaim } = resolved;
  const checkAccessToken = createAccessTokenCheck(resolved);
  const checkActAssertion: ActAssertionCheck | undefined =
    resolved.assertion === undefined
      ? undefined
      : createActAssertionCheck(resolved as typeof resolved & { readonly assertion: AssertionSettings });
  const lookUpHuman =
    humanAuthorizer === undefined
      ? undefined
      : createHumanLookup({
          authorizer: humanAuthorizer,
          cacheMs: resolved.humanCacheMs,
          maxEntries: resolved.cache.maxEntries,
          logger,
        });
  const stages = { audit: createAuditTrail(resolved.audit, logger), logger };
  const rules: JudgeRules = {
    humanPolicy: resolved.humanPolicy,
    requireDelegation: resolved.requireDelegation,
    acceptedMethods: resolved.acceptedMethods,
    clockSkewSeconds: resolved.clockSkewSeconds,
    maxChainDepth: resolved.maxChainDepth,
  };

  function decide(
    credentials: RequestCredentials,
    requirements: VerifyRequirements,
    now: number,
  ): Decision | Promise<Decision> {
    const raw = bearerTokenOf(credentials.authorization, resolved);
    // Each stage runs at once when its input is at hand (Node, cached keys, cached answers), so
    // the common path makes no promise until verify() hands back its result.
    return andThen(checkAccessToken(credentials.authorization as string, raw, now), (token) => {
      // From here on the agent is verified: a refusal (act assertion, human authorizer) still
      // names it in the decision and the audit event.
      try {
        const decision = andThen(
          token.subjects ??
            (checkActAssertion as ActAssertionCheck)(token, raw, credentials.actAssertion, now),
          (subjects) =>
            andThen(lookUpHuman?.(subjects.humanId, now), (directory) =>
              judgeRequest(credentials, requirements, now, token, subjects, directory),
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

  function judgeRequest(
    credentials: RequestCredentials,
    requirements: VerifyRequirements,
    now: number,
    token: VerifiedToken,
    subjects: NormalizedSubjects,
    directory: HumanAuthorization | undefined,
  ): Decision | Promise<Decision> {
    const { agent } = token;
    const humanRoles = humanRolesOf(subjects.humanSource, humanRolesClaim, directory);
    const judgement = judge(
      {
        agent,
        humanRoles,
        directory,
        delegation: subjects.delegation,
        // A lone actor recording no scopes passes every chain rule: no object for the common case.
        chain:
          subjects.chain.length > 1 || subjects.actorScopes !== undefined
            ? {
                actors: subjects.chain,
                actorScopes: subjects.actorScopes,
                tokenScopes: agent.scopes,
                humanId: subjects.humanId,
              }
            : undefined,
        nowSeconds: Math.floor(now / 1000),
      },
      requirements,
      rules,
    );
    const request: JudgedRequest = {
      agent,
      human: new HumanRecord(subjects.humanId, humanRoles, subjects.act),
      delegation: subjects.delegation?.ok === true ? subjects.delegation.delegation : undefined,
      chain: subjects.chain,
      claims: token.claims,
    };
    if (policy === undefined)
      return finishDecision(request, judgement, credentials, requirements, now, stages);
    const context = {
      ...request,
      subjects: judgement.subjects,
      claims: deepFreeze(token.claims),
      requirements,
      action: auditedAction(requirements, credentials),
      resource: auditedResource(requirements, credentials),
    };
    return andThen(applyPolicy(policy, context, logger), (combined) =>
      finishDecision(
        request,
        { subjects: combined, denial: denialOf(combined) },
        credentials,
        requirements,
        now,
        stages,
      ),
    );
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
        return decision.catch((error) => refuseRequest(error, credentials, requirements, now, stages));
      }
      return decision;
    } catch (error) {
      return refuseRequest(error, credentials, requirements, now, stages);
    }
  }

  return Object.freeze({ verify, [decideNow]: decideImmediately });
}
