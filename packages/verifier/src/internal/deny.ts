import { AccessDeniedError, type DenialCode } from '@dual-auth/core';
import type { VerifiedAgent } from '../decision.ts';

/** Which subject a refusal concerns; `token` when the credential itself failed. */
export type DeniedSubject = 'token' | 'agent' | 'human' | 'delegation';

/**
 * The verifier's internal refusal: core's {@link AccessDeniedError} plus the subject it concerns.
 * Its message is a fixed text naming the failed check, never a claim value.
 */
export class Denial extends AccessDeniedError {
  readonly subject: DeniedSubject;
  /** The agent, when its access token was verified before the refusal. */
  readonly agent: VerifiedAgent | undefined;

  constructor(code: DenialCode, reason: string, subject: DeniedSubject = 'token', agent?: VerifiedAgent) {
    super(code, reason);
    this.subject = subject;
    this.agent = agent;
  }
}

/**
 * `error` as a refusal that names the verified `agent`: a new {@link Denial}, since one refusal
 * (a failed human lookup) can reach several requests at once, each with its own agent.
 */
export function withAgent(error: unknown, agent: VerifiedAgent): unknown {
  if (!(error instanceof Denial) || error.agent !== undefined) return error;
  return new Denial(error.code, error.message, error.subject, agent);
}

/** Throws a `token_invalid` {@link Denial}. */
export function invalid(reason: string, subject: DeniedSubject = 'token'): never {
  throw new Denial('token_invalid', reason, subject);
}
