import type { CheckedAct, Delegation } from '@dual-auth/core';

/**
 * What a verified act JWT yields: the human, the delegation, and the JWT's identity.
 *
 * @example
 * ```ts
 * const { act, delegation }: VerifiedActJwt = await tokenRequest.receiveAndVerifyActJwt(actJwt);
 * ```
 */
export interface VerifiedActJwt {
  /** The human the agent acts for, checked once here: later steps pass it on without re-validating. */
  readonly act: CheckedAct;
  /** The delegation the application stated, when the JWT carries one. */
  readonly delegation: Delegation | undefined;
  /** The JWT's single-use id, now recorded in the replay store. */
  readonly jti: string;
  /** The application that signed it. */
  readonly issuer: string;
  /** The JWT's `exp`, epoch milliseconds. */
  readonly expiresAt: number;
}
