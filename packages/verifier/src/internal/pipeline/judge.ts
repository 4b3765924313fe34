import type { DelegationMethod, DenialCode } from '@dual-auth/core';
import type { HumanAuthorization } from '../../create-static-human-authorizer.ts';
import type { SubjectVerdict, SubjectVerdicts, VerifiedAgent } from '../../decision.ts';
import type { TokenClaims } from '../../vendor-profile.ts';
import {
  type HumanPolicy,
  humanAuthorized,
  humanCheckFor,
  humanRefused,
  humanUnchecked,
} from '../human-policy.ts';
import type { DelegationResult } from '../layout.ts';
import { type ChainFacts, DEFAULT_MAX_CHAIN_DEPTH, judgeChain } from './judge-chain.ts';
import { authorized, refused } from './verdicts.ts';

/** What a route requires of its subjects (the judged part of `VerifyRequirements`). */
export interface RouteRequirements {
  readonly agentRoles?: readonly string[] | undefined;
  readonly agentScopes?: readonly string[] | undefined;
  readonly humanRoles?: readonly string[] | undefined;
}

/** The checked facts of one request: who the agent is, what is known of the human, the delegation. */
export interface JudgedFacts {
  readonly agent: Pick<VerifiedAgent, 'id' | 'roles' | 'scopes'>;
  /** The human's roles from the roles claim and the human authorizer, if any. */
  readonly humanRoles: readonly string[] | undefined;
  /** The human authorizer's answer; `undefined` when it does not know the human (or there is none). */
  readonly directory: HumanAuthorization | undefined;
  /** The delegation claim as read from the token or act assertion; `undefined` when absent. */
  readonly delegation: DelegationResult | undefined;
  /** The actor chain (RFC 8693 nested `act`); absent where the layout has one actor, the agent. */
  readonly chain?: ChainFacts | undefined;
  /** The time of the request, seconds. */
  readonly nowSeconds: number;
}

/** The verifier's settings that the judgement depends on. */
export interface JudgeRules {
  readonly humanPolicy: HumanPolicy;
  readonly requireDelegation: boolean;
  readonly acceptedMethods: ReadonlySet<DelegationMethod>;
  readonly clockSkewSeconds: number;
  /** The most actors a chain may have (default {@link DEFAULT_MAX_CHAIN_DEPTH}). */
  readonly maxChainDepth?: number;
}

/** The first failed subject's denial, in the order agent, human, delegation. */
export interface SubjectDenial {
  readonly code: Exclude<DenialCode, 'token_invalid' | 'idp_unavailable'>;
  readonly reason: string;
}

/** Each subject's verdict and, when one failed, the request's denial. */
export interface Judgement {
  readonly subjects: SubjectVerdicts;
  readonly denial: SubjectDenial | undefined;
}

/** The first of `required` that `held` lacks. */
function missingFrom(held: readonly string[] | undefined, required: readonly string[] | undefined) {
  if (required === undefined) return undefined;
  // Indexed: for…of made an iterator per call, on every decision.
  for (let index = 0; index < required.length; index++) {
    const item = required[index] as string;
    if (held === undefined || !held.includes(item)) return item;
  }
  return undefined;
}

function judgeAgent(agent: JudgedFacts['agent'], requirements: RouteRequirements): SubjectVerdict {
  const missingRole = missingFrom(agent.roles, requirements.agentRoles);
  if (missingRole !== undefined) return refused(`the agent lacks role ${missingRole}`);
  const missingScope = missingFrom(agent.scopes, requirements.agentScopes);
  if (missingScope !== undefined) return refused(`the agent lacks scope ${missingScope}`);
  return authorized;
}

/**
 * A check must apply to this request (presence is never authorization), and every check that
 * applies must pass.
 */
function judgeHuman(facts: JudgedFacts, requirements: RouteRequirements, rules: JudgeRules): SubjectVerdict {
  const required = requirements.humanRoles;
  const check = humanCheckFor(rules.humanPolicy, required);
  if (check === undefined) return humanUnchecked;
  if (rules.humanPolicy.authorizer && facts.directory === undefined)
    return humanRefused('authorizer', 'the human is unknown to the human authorizer');
  const missing = missingFrom(facts.humanRoles, required);
  if (missing !== undefined) return humanRefused('roles', `the human lacks role ${missing}`);
  return humanAuthorized(check);
}

/** The delegation claim's verdict and then, when it passed, the actor chain's. */
function judgeDelegation(facts: JudgedFacts, rules: JudgeRules): SubjectVerdict {
  const claimVerdict = judgeDelegationClaim(facts, rules);
  const verdict = claimVerdict.ok ? judgeDirectoryAgents(facts) : claimVerdict;
  if (!verdict.ok || facts.chain === undefined) return verdict;
  return judgeChain(facts.chain, rules.maxChainDepth ?? DEFAULT_MAX_CHAIN_DEPTH);
}

function judgeDelegationClaim(facts: JudgedFacts, rules: JudgeRules): SubjectVerdict {
  const result = facts.delegation;
  if (result === undefined) return rules.requireDelegation ? refused('delegation claim missing') : authorized;
  if (!result.ok) return refused(`delegation claim invalid (${result.problem})`);
  const { delegation } = result;
  if (!rules.acceptedMethods.has(delegation.method))
    return refused(`delegation method ${delegation.method} is not accepted`);
  if (delegation.grantedAt > facts.nowSeconds + rules.clockSkewSeconds)
    return refused('delegation granted in the future');
  if (
    delegation.expiresAt !== undefined &&
    delegation.expiresAt <= facts.nowSeconds - rules.clockSkewSeconds
  ) {
    return refused('delegation has expired');
  }
  return authorized;
}

// The directory's word on whom the human may delegate to holds whatever the token carries: an
// on-behalf-of token has no delegation claim, and without this an agent the human never approved
// would pass as soon as the human's own token reached it.
function judgeDirectoryAgents(facts: JudgedFacts): SubjectVerdict {
  const agents = facts.directory?.agents;
  if (agents !== undefined && agents !== '*' && !agents.includes(facts.agent.id)) {
    return refused('the human may not delegate to this agent');
  }
  return authorized;
}

/**
 * The denial of a request whose subjects were judged `subjects`: the first failed of agent, human
 * and delegation, or `undefined` when all three are authorized.
 */
export function denialOf(subjects: SubjectVerdicts): SubjectDenial | undefined {
  if (!subjects.agent.ok) return { code: 'agent_denied', reason: subjects.agent.reason };
  if (!subjects.human.ok) {
    const code = subjects.human === humanUnchecked ? 'human_unchecked' : 'human_denied';
    return { code, reason: subjects.human.reason };
  }
  if (!subjects.delegation.ok) return { code: 'delegation_invalid', reason: subjects.delegation.reason };
  return undefined;
}

/**
 * Judges agent AND human AND delegation of one request from checked facts alone (no token, no
 * I/O, no clock): each subject gets its own verdict, and the request is denied for the first that
 * fails.
 */
export function judge(facts: JudgedFacts, requirements: RouteRequirements, rules: JudgeRules): Judgement {
  const subjects: SubjectVerdicts = {
    agent: judgeAgent(facts.agent, requirements),
    human: judgeHuman(facts, requirements, rules),
    delegation: judgeDelegation(facts, rules),
  };
  return { subjects, denial: denialOf(subjects) };
}

/**
 * The human's roles: those of the configured roles claim in `source` (a space-separated string
 * or an array), followed by the human authorizer's.
 */
export function humanRolesOf(
  source: TokenClaims,
  rolesClaim: string | undefined,
  directory: HumanAuthorization | undefined,
): readonly string[] | undefined {
  let roles: readonly string[] | undefined;
  if (rolesClaim !== undefined) {
    const value = source[rolesClaim];
    if (typeof value === 'string') roles = value.split(' ').filter((item) => item !== '');
    else if (Array.isArray(value)) roles = value.filter((item): item is string => typeof item === 'string');
  }
  if (directory === undefined) return roles;
  return roles === undefined ? directory.roles : [...roles, ...directory.roles];
}
