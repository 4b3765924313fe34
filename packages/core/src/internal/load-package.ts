import { ConfigurationError } from '../errors.ts';

/** Loads an optional package by name; resolves `undefined` when it is not installed. */
export type PackageLoader = (packageName: string) => Promise<Record<string, unknown> | undefined>;

function isModuleNotFound(error: unknown, packageName: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // A missing *dependency of* the package is a broken install, not a missing package.
  return error.message.includes(`'${packageName}'`) || error.message.includes(`"${packageName}"`);
}

async function importFrom(
  specifier: string,
  packageName: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    if (isModuleNotFound(error, packageName) || isModuleNotFound(error, specifier)) return undefined;
    throw new ConfigurationError(
      `${packageName} is installed but failed to load: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

// Walks up from `directory` looking for node_modules/<name>, as Node does, but without NODE_PATH
// or global folders: "resolve from here" must mean exactly that.
async function resolveFromDirectory(
  packageName: string,
  directory: string | URL,
): Promise<string | undefined> {
  const { existsSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  const { dirname, join } = await import('node:path');
  const { fileURLToPath, pathToFileURL } = await import('node:url');
  let current = directory instanceof URL ? fileURLToPath(directory) : directory;
  for (;;) {
    const manifest = join(current, 'node_modules', ...packageName.split('/'), 'package.json');
    if (existsSync(manifest)) {
      // A package may resolve its own name through its exports map (self-reference).
      return pathToFileURL(createRequire(manifest).resolve(packageName)).href;
    }
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * The loader `getConfig()` uses: from `resolveFrom` only, when given; otherwise from dual-auth's own
 * location (npm's flat layout, bundlers), then from the working directory (pnpm's strict layout,
 * where the application, not core, depends on the adapter).
 */
export function createPackageLoader(resolveFrom: string | URL | undefined): PackageLoader {
  return async (packageName) => {
    if (resolveFrom !== undefined) {
      const resolved = await resolveFromDirectory(packageName, resolveFrom);
      return resolved === undefined ? undefined : importFrom(resolved, packageName);
    }
    const nearby = await importFrom(packageName, packageName);
    if (nearby !== undefined) return nearby;
    if (typeof process === 'undefined' || typeof process.cwd !== 'function') return undefined;
    const resolved = await resolveFromDirectory(packageName, process.cwd());
    return resolved === undefined ? undefined : importFrom(resolved, packageName);
  };
}
