/**
 * Remembers single-use identifiers (act-JWT `jti`s) until they expire, so a captured JWT cannot be
 * presented twice. In-memory in `@dual-auth/client`; shared across replicas in `@dual-auth/store-redis`.
 * Every implementation passes the testkit's `describeReplayStore` conformance suite.
 *
 * @example
 * ```ts
 * if (!(await replayStore.useOnce(`${issuer}#${jti}`, exp * 1000))) throw new ReplayError('replayed', 'act JWT was already used');
 * ```
 */
export interface ReplayStore {
  /**
   * Records `id` as used until `expiresAt` (epoch ms). Resolves `true` the first time, `false` when
   * `id` is already recorded and unexpired. Rejects with `ReplayError` (`store_full`,
   * `store_unavailable`) when it cannot record safely: a store must never forget a live entry.
   */
  useOnce(id: string, expiresAt: number): Promise<boolean>;
}
