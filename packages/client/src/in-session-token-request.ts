import {
  type IdpAdapter,
  type Logger,
  silentLogger,
  type TokenRequestParams,
  type TokenResponse,
} from '@dual-auth/core';
import { createTokenCache, type TokenCache } from './create-token-cache.ts';
import { requestWithCache } from './internal/request-with-cache.ts';

/**
 * Options of {@link InSessionTokenRequest}.
 *
 * @example
 * ```ts
 * const options: TokenRequestOptions = { cache: sharedCache, logger };
 * ```
 */
export interface TokenRequestOptions {
  /** Token cache (default: a private in-memory cache); `false` sends every request to the IdP. */
  readonly cache?: TokenCache | false;
  readonly logger?: Logger;
}

/**
 * Requests dual-subject tokens for an agent that runs inside the application's session: the human
 * (`act`) comes from the session in memory. Tokens are cached per agent, human, scopes and
 * audience, with concurrent requests for one key sharing one IdP call.
 *
 * @example
 * ```ts
 * const tokenRequest = new InSessionTokenRequest(adapter);
 * const act = sender.extractActFromSession(userSession);
 * const tokenResponse = await tokenRequest.requestToken({ agentId: 'finance-agent', act, scope: ['finance.read'] });
 * ```
 */
export class InSessionTokenRequest {
  readonly #adapter: IdpAdapter;
  readonly #cache: TokenCache | undefined;
  readonly #logger: Logger;

  constructor(adapter: IdpAdapter, options: TokenRequestOptions = {}) {
    if (adapter === null || typeof adapter !== 'object' || typeof adapter.requestToken !== 'function') {
      throw new TypeError('adapter must be an IdpAdapter (an object with requestToken)');
    }
    this.#adapter = adapter;
    this.#logger = options.logger ?? silentLogger;
    this.#cache =
      options.cache === false ? undefined : (options.cache ?? createTokenCache({ logger: this.#logger }));
  }

  /**
   * A dual-subject token for `agentId` acting for `act`. Throws `TypeError` when `act` is not a
   * valid human (misuse), and the adapter's `TokenRequestError` when the IdP refuses.
   *
   * @example
   * ```ts
   * const act = sender.extractActFromSession(userSession);
   * const tokenResponse = await tokenRequest.requestToken({ agentId: 'finance-agent', act, scope: ['finance.read'] });
   * ```
   */
  async requestToken(params: TokenRequestParams): Promise<TokenResponse> {
    return requestWithCache(this.#adapter, this.#cache, this.#logger, params);
  }
}
