import type { DualAuthConfig } from './config-definition.ts';

/**
 * Where an entry point may find the insecure-loopback opt-in: its own `allowInsecureLoopback`
 * option, or the `config` from `getConfig()` (`DUAL_AUTH_ALLOW_INSECURE_LOOPBACK`).
 *
 * @example
 * ```ts
 * const source: InsecureLoopbackSource = { config: await getConfig() };
 * ```
 */
export interface InsecureLoopbackSource {
  /** Overrides the config's value either way. */
  readonly allowInsecureLoopback?: boolean | undefined;
  /** The configuration; only `allowInsecureLoopback` is read here. */
  readonly config?: Pick<DualAuthConfig, 'allowInsecureLoopback'> | undefined;
}

/**
 * Whether `http:` on a loopback host is allowed: the explicit option when given, else the config's
 * `allowInsecureLoopback`, else `false`. One rule for every entry point, so setting
 * `DUAL_AUTH_ALLOW_INSECURE_LOOPBACK=true` once is enough wherever the config is passed. A
 * non-boolean is a `TypeError` naming `owner`.
 *
 * @example
 * ```ts
 * const allowInsecureLoopback = resolveInsecureLoopback({ allowInsecureLoopback: options.allowInsecureLoopback, config: options.config }, 'InSessionAPICall');
 * ```
 */
export function resolveInsecureLoopback(source: InsecureLoopbackSource, owner: string): boolean {
  const { allowInsecureLoopback, config } = source;
  if (allowInsecureLoopback !== undefined) {
    if (typeof allowInsecureLoopback !== 'boolean') {
      throw new TypeError(`${owner}: allowInsecureLoopback must be a boolean`);
    }
    return allowInsecureLoopback;
  }
  if (config === undefined) return false;
  if (typeof config !== 'object' || config === null || typeof config.allowInsecureLoopback !== 'boolean') {
    throw new TypeError(`${owner}: config must be the result of getConfig()`);
  }
  return config.allowInsecureLoopback;
}
