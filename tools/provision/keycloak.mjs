import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { findJdk } from './jdk.mjs';
import { ProvisionError } from './provision-error.mjs';

/**
 * The Keycloak the real-Keycloak suites run: the newest `org.keycloak:keycloak-quarkus-dist` that
 * Maven Central serves here (26.7.3; 26.7.4 is not served). Keycloak's "Supported Configurations"
 * guide (keycloak.org/server/supported-configurations) lists OpenJDK 17, 21 and 25 for 26.x and
 * recommends 25, which the machine has (Temurin 25).
 */
export const KEYCLOAK_VERSION = '26.7.3';

/** Maven Central, where `org.keycloak:keycloak-quarkus-dist` is downloaded from. */
export const MAVEN_CENTRAL = 'https://repo1.maven.org/maven2';

const artifactUrl = (repository, version) =>
  `${repository}/org/keycloak/keycloak-quarkus-dist/${version}/keycloak-quarkus-dist-${version}.tar.gz`;

/**
 * Where the unpacked distribution and its manifest live, under the repository's ignored `.cache/`.
 * The test tooling reads `manifest` (written last, so its presence means a complete install).
 *
 * @example
 * const { manifest } = keycloakCachePaths('/work/main');
 */
export function keycloakCachePaths(root, version = KEYCLOAK_VERSION) {
  const directory = join(root, '.cache', 'keycloak');
  return {
    directory,
    archive: join(directory, `keycloak-quarkus-dist-${version}.tar.gz`),
    home: join(directory, `keycloak-${version}`),
    manifest: join(directory, 'keycloak.json'),
  };
}

async function download(url, log) {
  let response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(300_000) });
  } catch (error) {
    throw new ProvisionError(
      `could not download ${url} (${error instanceof Error ? error.message : String(error)}). ` +
        'The real-Keycloak suites need it once: run `npm test` again with network access to Maven Central.',
    );
  }
  if (!response.ok)
    throw new ProvisionError(
      `Maven Central answered ${response.status} for ${url}; the suites need it once.`,
    );
  const bytes = Buffer.from(await response.arrayBuffer());
  log(`keycloak: downloaded ${(bytes.length / 1048576).toFixed(1)} MiB`);
  return bytes;
}

async function sha512OfFile(path) {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * Downloads (once) and unpacks the Keycloak distribution into `.cache/keycloak/`, checking the
 * archive against Maven Central's SHA-512, and finds the JDK it runs on. A second run uses the cache
 * and needs no network. Dependency-free (Node 20 or newer, and the system `tar`).
 *
 * @example
 * const { home, version, javaHome } = await provisionKeycloak({ root: process.cwd(), log: console.error });
 * // with the JDK already found: provisionKeycloak({ root, log, javaHome: '/usr/lib/jvm/temurin-25-jdk-amd64' })
 * // in a test: provisionKeycloak({ root, log, repository: 'http://127.0.0.1:PORT', jdk: () => ({ javaHome }) })
 *
 * @param {{ root: string, log: (line: string) => void, version?: string, repository?: string,
 *   javaHome?: string, jdk?: (options: { log: (line: string) => void }) => { javaHome: string } }} options
 */
export async function provisionKeycloak({
  root,
  log,
  version = KEYCLOAK_VERSION,
  repository = MAVEN_CENTRAL,
  javaHome: foundJavaHome,
  jdk = findJdk,
}) {
  const paths = keycloakCachePaths(root, version);
  // The JDK the provisioning's jdk step found, or look for one here.
  const javaHome = foundJavaHome ?? jdk({ log }).javaHome;
  if (existsSync(paths.manifest)) {
    const manifest = JSON.parse(readFileSync(paths.manifest, 'utf8'));
    if (manifest.version === version && existsSync(join(paths.home, 'bin', 'kc.sh'))) {
      const current = { ...manifest, javaHome };
      if (manifest.javaHome !== javaHome)
        writeFileSync(paths.manifest, `${JSON.stringify(current, null, 2)}\n`);
      log(`keycloak: ${version} cached in ${paths.home}`);
      return { home: current.home, version, javaHome };
    }
  }
  mkdirSync(paths.directory, { recursive: true });
  if (!existsSync(paths.archive)) {
    const url = artifactUrl(repository, version);
    log(`keycloak: downloading ${url}`);
    const [archive, checksum] = await Promise.all([download(url, log), download(`${url}.sha512`, () => {})]);
    const expected = checksum.toString('utf8').trim().split(/\s+/)[0];
    const actual = createHash('sha512').update(archive).digest('hex');
    if (expected !== actual)
      throw new ProvisionError(
        `the Keycloak archive's SHA-512 does not match Maven Central's (${url}.sha512)`,
      );
    writeFileSync(`${paths.archive}.partial`, archive);
    renameSync(`${paths.archive}.partial`, paths.archive);
  } else {
    log(`keycloak: unpacking the cached ${paths.archive}`);
  }
  const staging = join(paths.directory, `unpack-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  const untar = spawnSync('tar', ['-xzf', paths.archive, '-C', staging], { encoding: 'utf8' });
  if (untar.error || untar.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    rmSync(paths.archive, { force: true });
    throw new ProvisionError(
      `could not unpack ${paths.archive} (${untar.error?.message ?? untar.stderr.trim()}); it was removed, run again to download it anew.`,
    );
  }
  rmSync(paths.home, { recursive: true, force: true });
  renameSync(join(staging, `keycloak-${version}`), paths.home);
  rmSync(staging, { recursive: true, force: true });
  const manifest = {
    version,
    home: paths.home,
    javaHome,
    archiveSha512: await sha512OfFile(paths.archive),
  };
  writeFileSync(paths.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  log(`keycloak: ${version} unpacked in ${paths.home}`);
  return { home: paths.home, version, javaHome };
}
