import type * as NodeCrypto from 'node:crypto';

interface NodeProcess {
  readonly getBuiltinModule?: (id: string) => unknown;
}

/**
 * `node:crypto` when this runtime has it (Node, Bun, Deno's Node layer), else `undefined` (edge
 * runtimes, browsers). Loaded through `process.getBuiltinModule` so the module graph never names
 * `node:crypto` and bundles for the edge stay clean.
 *
 * @example
 * ```ts
 * const backend = nodeCrypto === undefined ? 'webcrypto' : 'node';
 * ```
 */
export const nodeCrypto: typeof NodeCrypto | undefined = (() => {
  const candidate = (globalThis as { process?: NodeProcess }).process;
  if (typeof candidate?.getBuiltinModule !== 'function') return undefined;
  try {
    return candidate.getBuiltinModule('node:crypto') as typeof NodeCrypto | undefined;
  } catch {
    return undefined;
  }
})();
