import type { Clock, IdpAdapter, Logger } from '@dual-auth/core';
import type { TokenCache } from './create-token-cache.ts';

/**
 * What both token requests ({@link InSessionTokenRequest}, {@link OutOfSessionTokenRequest}) are
 * built from: the adapter, the token cache and the logger.
 *
 * @example
 * ```ts
 * const options: TokenRequestOptions = { adapter, cache: sharedCache, logger };
 * const tokenRequest = new InSessionTokenRequest(options);
 * ```
 */
export interface TokenRequestOptions {
  /** The IdP adapter tokens are requested from (`KeycloakAdapter`, `OktaAdapter`…). */
  readonly adapter: IdpAdapter;
  /** Token cache (default: a private in-memory cache); `false` sends every request to the IdP. */
  readonly cache?: TokenCache | false;
  /** Source of the current time for the default cache (default `Date.now`). */
  readonly clock?: Clock;
  readonly logger?: Logger;
}
