import type { Act } from '@dual-auth/core';
import type { AllowDecision, SubjectVerdicts, VerifiedAgent, VerifiedHuman } from '../decision.ts';
import type { TokenClaims } from '../vendor-profile.ts';
import { deepFreeze } from './deep-freeze.ts';

// Personal data (the human's email and name, inside `act` and the raw claims) is held in private
// fields behind prototype getters: readable by the application, but absent from JSON.stringify and
// util.inspect, so a decision logged whole leaks nothing. Cheaper than defineProperty per call.

/** A {@link VerifiedHuman} whose `act` is readable but not serialized. */
export class HumanRecord implements VerifiedHuman {
  readonly id: string;
  readonly roles: readonly string[] | undefined;
  readonly #act: Act | undefined;

  constructor(id: string, roles: readonly string[] | undefined, act: Act | undefined) {
    this.id = id;
    this.roles = roles;
    this.#act = act;
  }

  get act(): Act | undefined {
    return this.#act;
  }
}

/** An {@link AllowDecision} whose `claims` are readable but not serialized. */
export class AllowRecord implements AllowDecision {
  readonly allow = true as const;
  readonly agent: VerifiedAgent;
  readonly human: VerifiedHuman;
  readonly delegation: AllowDecision['delegation'];
  readonly chain: readonly string[];
  readonly subjects: SubjectVerdicts;
  readonly auditEventId: string;
  readonly #claims: TokenClaims;

  constructor(
    request: Omit<AllowDecision, 'allow' | 'subjects' | 'auditEventId'>,
    subjects: SubjectVerdicts,
    auditEventId: string,
  ) {
    this.agent = request.agent;
    this.human = request.human;
    this.delegation = request.delegation;
    this.chain = request.chain;
    this.subjects = subjects;
    this.auditEventId = auditEventId;
    this.#claims = request.claims;
  }

  /**
   * The verified claims, deep-frozen on first access: the cached verification shares them with
   * every later request for this token, so a handler's write must throw, not leak into those
   * decisions. Once frozen, each access costs one `Object.isFrozen`.
   */
  get claims(): TokenClaims {
    return deepFreeze(this.#claims);
  }
}
