import type { HumanAuthorization } from './create-static-human-authorizer.ts';
import type { Decision } from './decision.ts';
import { decideNow } from './internal/decide-now.ts';
import { deepFreeze } from './internal/deep-freeze.ts';
import { withAgent } from './internal/deny.ts';
import type { NormalizedSubjects } from './internal/layout.ts';
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
import type { VerifierOptions, VerifyRequirements } from './verifier-options.ts';

export { MISSING_TOKEN_REASON } from './internal/pipeline/check-access-token.ts';

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
    // the common path makes no promise, and no closure, until verify() hands back its result.
    const token = checkAccessToken(credentials.authorization as string, raw, now);
    return token instanceof Promise
      ? token.then((verified) => decideForAgent(verified, raw, credentials, requirements, now))
      : decideForAgent(token, raw, credentials, requirements, now);
  }

  // From here on the agent is verified: a refusal (act assertion, human authorizer) still names it
  // in the decision and the audit event.
  function decideForAgent(
    token: VerifiedToken,
    raw: string,
    credentials: RequestCredentials,
    requirements: VerifyRequirements,
    now: number,
  ): Decision | Promise<Decision> {
    try {
      const subjects =
        token.subjects ?? (checkActAssertion as ActAssertionCheck)(token, raw, credentials.actAssertion, now);
      const decision =
        subjects instanceof Promise
          ? subjects.then((read) => decideForSubjects(token, read, credentials, requirements, now))
          : decideForSubjects(token, subjects, credentials, requirements, now);
      return decision instanceof Promise
        ? decision.catch((error: unknown) => {
            throw withAgent(error, token.agent);
          })
        : decision;
    } catch (error) {
      throw withAgent(error, token.agent);
    }
  }

  function decideForSubjects(
    token: VerifiedToken,
    subjects: NormalizedSubjects,
    credentials: RequestCredentials,
    requirements: VerifyRequirements,
    now: number,
  ): Decision | Promise<Decision> {
    const directory = lookUpHuman?.(subjects.humanId, now);
    return directory instanceof Promise
      ? directory.then((found) => judgeRequest(credentials, requirements, now, token, subjects, found))
      : judgeRequest(credentials, requirements, now, token, subjects, directory);
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
