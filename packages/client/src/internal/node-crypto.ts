import type * as NodeCrypto from 'node:crypto';

type BuiltinLoader = { getBuiltinModule?: (id: string) => unknown };

let cached: typeof NodeCrypto | null | undefined;

/**
 * `node:crypto` when running on Node (or a runtime that provides it), else `undefined`. Loaded
 * through `process.getBuiltinModule`, so bundles for edge runtimes never import it.
 */
export function nodeCrypto(): typeof NodeCrypto | undefined {
  if (cached === undefined) {
    const loader = (globalThis as { process?: BuiltinLoader }).process;
    cached = (loader?.getBuiltinModule?.('node:crypto') as typeof NodeCrypto | undefined) ?? null;
  }
  return cached ?? undefined;
}
