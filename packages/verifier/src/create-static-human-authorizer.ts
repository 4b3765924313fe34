/**
 * What the human directory says about one human: their roles and, optionally, which agents they may
 * delegate to (`'*'` for any).
 *
 * @example
 * ```ts
 * const alice: HumanAuthorization = { roles: ['finance'], agents: ['finance-agent'] };
 * ```
 */
export interface HumanAuthorization {
  readonly roles: readonly string[];
  readonly agents?: readonly string[] | '*';
}

/**
 * Looks a human up by IAM user id; `undefined` means unknown (the human is denied). The verifier
 * caches answers per human id (`humanAuthorizerCacheSeconds`). A throw or rejection denies with
 * `idp_unavailable`.
 *
 * @example
 * ```ts
 * const humanAuthorizer: HumanAuthorizer = async ({ humanId }) => directory.lookup(humanId);
 * ```
 */
export type HumanAuthorizer = (request: {
  readonly humanId: string;
}) => Promise<HumanAuthorization | undefined> | HumanAuthorization | undefined;

/**
 * A {@link HumanAuthorizer} from a fixed map of IAM user id → roles (and delegable agents).
 *
 * @example
 * ```ts
 * const humanAuthorizer = createStaticHumanAuthorizer({
 *   'f1d2…-alice': { roles: ['finance.reader'], agents: ['finance-agent'] },
 * });
 * ```
 */
export function createStaticHumanAuthorizer(
  humans: Readonly<Record<string, HumanAuthorization>>,
): HumanAuthorizer {
  if (typeof humans !== 'object' || humans === null) throw new TypeError('humans must be an object');
  const table = new Map<string, HumanAuthorization>();
  for (const [humanId, entry] of Object.entries(humans)) {
    if (!Array.isArray(entry?.roles)) throw new TypeError('each human needs a roles array');
    table.set(humanId, Object.freeze({ ...entry, roles: Object.freeze([...entry.roles]) }));
  }
  return ({ humanId }) => table.get(humanId);
}
