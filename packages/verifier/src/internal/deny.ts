import { AccessDeniedError, type DenialCode } from '@dual-auth/core';

/** Which subject a refusal concerns; `token` when the credential itself failed. */
export type DeniedSubject = 'token' | 'agent' | 'human' | 'delegation';

/**
 * The verifier's internal refusal: core's {@link AccessDeniedError} plus the subject it concerns.
 * Its message is a fixed text naming the failed check, never a claim value.
 */
export class Denial extends AccessDeniedError {
  readonly subject: DeniedSubject;

  constructor(code: DenialCode, reason: string, subject: DeniedSubject = 'token') {
    super(code, reason);
    this.subject = subject;
  }
}

/** Throws a `token_invalid` {@link Denial}. */
export function invalid(reason: string, subject: DeniedSubject = 'token'): never {
  throw new Denial('token_invalid', reason, subject);
}
