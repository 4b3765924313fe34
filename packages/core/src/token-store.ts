import type { TokenResponse } from './token-response.ts';

/**
 * Storage behind the agent's token cache. In-memory in `@dual-auth/client`; shared across replicas
 * in `@dual-auth/store-redis`. Keys are opaque strings built by the cache (they include the human,
 * so tokens are never shared across humans).
 *
 * @example
 * ```ts
 * const cached = await tokenStore.get(key);
 * if (cached?.isFresh(Date.now(), 30)) return cached;
 * ```
 */
export interface TokenStore {
  /** The stored token, or `undefined`. May return an expired token; callers check freshness. */
  get(key: string): Promise<TokenResponse | undefined>;
  /** Stores `token` until its `expiresAt`. */
  set(key: string, token: TokenResponse): Promise<void>;
  /** Forgets `key`. */
  delete(key: string): Promise<void>;
  /**
   * Optional: single-flight across every process that shares this store, so N agent replicas
   * make one IdP request per key instead of N. The token cache uses it when present and keeps its
   * in-process single-flight either way.
   */
  readonly singleFlight?: TokenSingleFlight;
}

/**
 * Cross-process single-flight of a {@link TokenStore}: the first caller to `claim` a key holds a
 * lease on it and asks the IdP; the others wait for the holder's outcome. A lease expires on its
 * own when its holder dies, so a waiter is never stuck: it sees `abandoned` and claims again.
 *
 * @example
 * ```ts
 * const claim = await store.singleFlight.claim(key);
 * if (claim.role === 'holder') await claim.lease.fulfil(await adapter.requestToken(params));
 * else console.log((await claim.wait()).kind); // 'token' | 'failed' | 'abandoned' | 'timed_out'
 * ```
 */
export interface TokenSingleFlight {
  /** Takes the lease on `key` when it is free (`holder`), or joins the flight of its holder (`waiter`). */
  claim(key: string): Promise<TokenFlightClaim>;
}

/**
 * What {@link TokenSingleFlight.claim} gives: the lease, or a way to wait for whoever holds it.
 *
 * @example
 * ```ts
 * const claim: TokenFlightClaim = await store.singleFlight.claim(key);
 * const outcome = claim.role === 'waiter' ? await claim.wait() : undefined;
 * ```
 */
export type TokenFlightClaim =
  | { readonly role: 'holder'; readonly lease: TokenLease }
  | {
      readonly role: 'waiter';
      /** Resolves once the holder settles, its lease ends without an outcome, or the wait bound passes. */
      wait(): Promise<TokenFlightOutcome>;
    };

/**
 * The right to make the one IdP request for a key. The store keeps it alive while it is held and
 * lets it expire when the holder dies; ending it is fenced (it only ends this holder's own lease).
 *
 * @example
 * ```ts
 * try {
 *   await lease.fulfil(await adapter.requestToken(params));
 * } catch (error) {
 *   await lease.fail({ status: 400, oauthError: 'invalid_client' });
 * }
 * ```
 */
export interface TokenLease {
  /** Stores `token` under the key, tells every waiter, and ends the lease. */
  fulfil(token: TokenResponse): Promise<void>;
  /** Tells every waiter that the request failed with `failure`, and ends the lease. */
  fail(failure: TokenFlightFailure): Promise<void>;
  /** Ends the lease without an outcome (e.g. a token was already stored); waiters claim again. */
  release(): Promise<void>;
}

/**
 * How the holder's IdP request failed, as it is shared with the waiters in other processes: the
 * public fields of a `TokenRequestError` only, never its message, cause or anything sent to the IdP.
 *
 * @example
 * ```ts
 * const failure: TokenFlightFailure = { status: 429, oauthError: 'temporarily_unavailable', retryAfterSeconds: 5 };
 * ```
 */
export interface TokenFlightFailure {
  /** HTTP status of the IdP's answer; absent when none came (timeout, connection refused). */
  readonly status?: number;
  /** The OAuth `error` field. */
  readonly oauthError?: string;
  /** The vendor's own code (`AADSTS…`, Okta `errorCode`). */
  readonly vendorCode?: string;
  /** The vendor's sub-error (Entra `suberror`). The claims challenge stays with the holder: too large. */
  readonly subError?: string;
  /** Seconds the IdP asked to wait (`Retry-After`). */
  readonly retryAfterSeconds?: number;
}

/**
 * What a waiter learns: the holder's token, its failure, that the lease ended without an outcome
 * (the holder died or released it: claim again), or that the wait bound passed.
 *
 * @example
 * ```ts
 * const outcome: TokenFlightOutcome = await claim.wait();
 * if (outcome.kind === 'token') return outcome.token;
 * ```
 */
export type TokenFlightOutcome =
  | { readonly kind: 'token'; readonly token: TokenResponse }
  | { readonly kind: 'failed'; readonly failure: TokenFlightFailure }
  | { readonly kind: 'abandoned' }
  | { readonly kind: 'timed_out' };
