import type { SubjectVerdict } from '../../decision.ts';
import { authorized, refused } from './verdicts.ts';

/**
 * The deepest actor chain a verifier accepts unless `limits.maxChainDepth` says otherwise: an agent
 * that delegated to an agent that delegated once more.
 */
export const DEFAULT_MAX_CHAIN_DEPTH = 3;

/** What the chain rules look at: the actors of one token and the scopes recorded along the way. */
export interface ChainFacts {
  /** The actors, the current one (the agent) first and the first actor last (RFC 8693 §4.1 order). */
  readonly actors: readonly string[];
  /**
   * Per actor, in the order of `actors`, the scopes its `act` entry records (`scope` or `scp`), or
   * `undefined` where it records none; `undefined` as a whole when no entry records any.
   */
  readonly actorScopes: readonly (readonly string[] | undefined)[] | undefined;
  /** The scopes the token grants its current actor. */
  readonly tokenScopes: readonly string[];
  /** The human the chain acts for. */
  readonly humanId: string;
}

function firstRepeat(actors: readonly string[], humanId: string): string | undefined {
  for (let index = 0; index < actors.length; index++) {
    const actor = actors[index] as string;
    if (actor === humanId) return 'delegation chain names the human as an actor (a cycle)';
    if (actors.indexOf(actor) !== index) return 'delegation chain repeats an actor (a cycle)';
  }
  return undefined;
}

function outside(scopes: readonly string[], allowed: ReadonlySet<string>): boolean {
  for (const scope of scopes) if (!allowed.has(scope)) return true;
  return false;
}

/**
 * From the first actor to the current one, then the token itself, no hop may hold a scope that
 * the hop before it did not. Hops that record no scopes are passed over: nothing says what they held.
 */
function firstWidening(facts: ChainFacts): string | undefined {
  const { actorScopes } = facts;
  if (actorScopes === undefined) return undefined;
  let allowed: ReadonlySet<string> | undefined;
  for (let index = actorScopes.length - 1; index >= 0; index--) {
    const scopes = actorScopes[index];
    if (scopes === undefined) continue;
    if (allowed !== undefined && outside(scopes, allowed)) {
      return `delegation chain widens scope at actor ${index + 1} of ${actorScopes.length} (counted from the current actor)`;
    }
    allowed = new Set(scopes);
  }
  if (allowed !== undefined && outside(facts.tokenScopes, allowed))
    return 'delegation chain widens scope: the token grants a scope its actors did not hold';
  return undefined;
}

/**
 * The chain rules of one token, pure (no token, no I/O): at most `maxDepth` actors, no actor twice
 * and never the human, and no widening of scope at any hop. Reasons are fixed texts and counts,
 * never an actor id or a scope taken from the token.
 */
export function judgeChain(facts: ChainFacts, maxDepth: number): SubjectVerdict {
  const { actors } = facts;
  // The common case, one actor recording no scopes, decides without allocating.
  if (actors.length === 1 && facts.actorScopes === undefined)
    return actors[0] === facts.humanId
      ? refused('delegation chain names the human as an actor (a cycle)')
      : authorized;
  if (actors.length > maxDepth) {
    return refused(`delegation chain is ${actors.length} actors deep, more than the ${maxDepth} allowed`);
  }
  const problem = firstRepeat(actors, facts.humanId) ?? firstWidening(facts);
  return problem === undefined ? authorized : refused(problem);
}
