import type { Clock, IdpAdapter, Logger, TokenRequestParams, TokenResponse } from '@dual-auth/core';
import { silentLogger } from '@dual-auth/core/logging';
import { createTokenCache, type TokenCache } from '../create-token-cache.ts';
import type { TokenRequestOptions } from '../token-request-options.ts';
import { requestWithCache } from './request-with-cache.ts';

/**
 * The part both token requests share: the adapter, the cache and `requestToken`. Each class adds
 * how the human arrives (in memory, or as an act JWT).
 */
export class DualSubjectTokenRequest {
  readonly #adapter: IdpAdapter;
  readonly #cache: TokenCache | undefined;
  /** The logger both classes write to. */
  protected readonly logger: Logger;

  constructor(options: TokenRequestOptions, owner: string, clock?: Clock) {
    if (options === null || typeof options !== 'object')
      throw new TypeError(`${owner}: options are required`);
    if (typeof (options as { requestToken?: unknown }).requestToken === 'function') {
      throw new TypeError(`${owner} takes an options object: new ${owner}({ adapter })`);
    }
    const { adapter } = options;
    if (adapter === null || typeof adapter !== 'object' || typeof adapter.requestToken !== 'function') {
      throw new TypeError(`${owner}: adapter must be an IdpAdapter (an object with requestToken)`);
    }
    const cacheClock = clock ?? options.clock;
    if (cacheClock !== undefined && typeof cacheClock !== 'function') {
      throw new TypeError(`${owner}: clock must be a function returning epoch milliseconds`);
    }
    this.#adapter = adapter;
    this.logger = options.logger ?? silentLogger;
    this.#cache =
      options.cache === false
        ? undefined
        : (options.cache ??
          createTokenCache({
            logger: this.logger,
            ...(cacheClock === undefined ? {} : { clock: cacheClock }),
          }));
  }

  /**
   * A dual-subject token for `agentId` acting for `act`, from the cache when a fresh one is there.
   * Throws `TypeError` when `act` is not a valid human (misuse), and the adapter's
   * `TokenRequestError` when the IdP refuses.
   *
   * @example
   * ```ts
   * const tokenResponse = await tokenRequest.requestToken({ agentId: 'finance-agent', act, scope: ['finance.read'] });
   * ```
   */
  async requestToken(params: TokenRequestParams): Promise<TokenResponse> {
    return requestWithCache(this.#adapter, this.#cache, this.logger, params);
  }
}
