/**
 * Remembers single-use identifiers (act-JWT `jti`s) until they expire, so a captured JWT cannot be
 * presented twice. In-memory in `@dual-auth/client`; shared across replicas in `@dual-auth/store-redis`.
 * Every implementation passes the testkit's `describeReplayStore` conformance suite.
 *
 * @example
 * ```ts
 * // Remember the jti as long as the JWT could still pass the exp check, clock skew included.
 * const firstUse = await replayStore.useOnce(`${issuer}#${jti}`, (exp + clockSkewSeconds) * 1000);
 * if (!firstUse) throw new ReplayError('replayed', 'act JWT was already used');
 * ```
 */
export interface ReplayStore {
  /**
   * Records `id` as used until `expiresAt` (epoch ms). Resolves `true` the first time, `false` when
   * `id` is already recorded and unexpired. Rejects with `ReplayError` (`store_full`,
   * `store_unavailable`) when it cannot record safely: a store must never forget a live entry.
   *
   * Pass the last moment the JWT could still be accepted, i.e. `(exp + clockSkewSeconds) * 1000`,
   * not `exp * 1000`: a verifier tolerating skew still accepts the JWT for `clockSkewSeconds` after
   * `exp`, and an entry forgotten at `exp` would let it be replayed during that window.
   */
  useOnce(id: string, expiresAt: number): Promise<boolean>;
}
