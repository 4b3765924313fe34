import { DualSubjectTokenRequest } from './internal/dual-subject-token-request.ts';
import type { TokenRequestOptions } from './token-request-options.ts';

/**
 * Requests dual-subject tokens for an agent that runs inside the application's session: the human
 * (`act`) comes from the session in memory. Tokens are cached per agent, human, scopes and
 * audience, with concurrent requests for one key sharing one IdP call. Built like
 * {@link OutOfSessionTokenRequest}, from `{ adapter, cache?, logger? }`.
 *
 * @example
 * ```ts
 * const tokenRequest = new InSessionTokenRequest({ adapter });
 * const act = sender.extractActFromSession(userSession);
 * const tokenResponse = await tokenRequest.requestToken({ agentId: 'finance-agent', act, scope: ['finance.read'] });
 * ```
 */
export class InSessionTokenRequest extends DualSubjectTokenRequest {
  constructor(options: TokenRequestOptions) {
    super(options, 'InSessionTokenRequest');
  }
}
