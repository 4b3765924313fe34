import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Keycloak distribution that `tools/provision/keycloak.mjs` (run by `npm test`) unpacked into
 * the repository's `.cache/keycloak/`, and the JDK it runs on.
 *
 * @example
 * ```ts
 * const { home, version, javaHome }: InstalledKeycloak = installedKeycloak();
 * ```
 */
export interface InstalledKeycloak {
  readonly home: string;
  readonly version: string;
  readonly javaHome: string;
}

const manifestPath = join('.cache', 'keycloak', 'keycloak.json');

function findManifest(start: string): string | undefined {
  for (let directory = start; ; directory = dirname(directory)) {
    const candidate = join(directory, manifestPath);
    if (existsSync(candidate)) return candidate;
    if (dirname(directory) === directory) return undefined;
  }
}

/**
 * Reads the provisioned Keycloak's manifest (`.cache/keycloak/keycloak.json`), looking in `root`
 * when given, else in the working directory and the folders above it (and above this package).
 * Throws, naming the command to run, when Keycloak was not provisioned: the real-Keycloak suites
 * fail rather than skip.
 *
 * @example
 * ```ts
 * const keycloak = installedKeycloak(); // { home: '/repo/.cache/keycloak/keycloak-26.7.3', version: '26.7.3', … }
 * ```
 * @throws {Error} when no provisioned Keycloak is found.
 */
export function installedKeycloak(root?: string): InstalledKeycloak {
  const manifest =
    root === undefined
      ? (findManifest(process.cwd()) ?? findManifest(dirname(fileURLToPath(import.meta.url))))
      : findManifest(root);
  if (manifest === undefined) {
    throw new Error(
      `no provisioned Keycloak (${manifestPath} not found from ${root ?? process.cwd()}): run \`npm test\`, ` +
        'or `node tools/provision/index.mjs` in the repository, which downloads it once from Maven Central',
    );
  }
  const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as Partial<InstalledKeycloak>;
  const { home, version, javaHome } = parsed;
  if (typeof home !== 'string' || typeof version !== 'string' || typeof javaHome !== 'string')
    throw new Error(`${manifest} lacks home, version or javaHome: provision Keycloak again`);
  if (!existsSync(join(home, 'bin', 'kc.sh')))
    throw new Error(`${manifest} names ${home}, which has no bin/kc.sh: provision Keycloak again`);
  if (!existsSync(join(javaHome, 'bin', 'java')))
    throw new Error(`${manifest} names the JDK ${javaHome}, which has no bin/java: provision Keycloak again`);
  return { home, version, javaHome };
}
