import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ProvisionError } from './provision-error.mjs';

/** Keycloak 26.x runs on Java 21 or newer. */
export const MINIMUM_JDK_MAJOR = 21;

/** Where the machine image installs the Temurin 25 JDK. */
export const TEMURIN_HOME = '/usr/lib/jvm/temurin-25-jdk-amd64';

/**
 * The major version `java -version` of `javaHome` prints, or undefined when it has no runnable java.
 *
 * @example
 * javaMajorVersion('/usr/lib/jvm/temurin-25-jdk-amd64'); // 25
 */
export function javaMajorVersion(javaHome) {
  const java = join(javaHome, 'bin', 'java');
  if (!existsSync(java)) return undefined;
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  // `openjdk version "25.0.1" 2025-10-21`, and `"1.8.0_392"` for Java 8 and older.
  const match = /version "(?:1\.)?(\d+)/.exec(`${result.stderr}${result.stdout}`);
  return match ? Number(match[1]) : undefined;
}

/**
 * JAVA_HOME first when set, then Temurin 25, then every other JDK under /usr/lib/jvm.
 *
 * @example
 * jdkCandidates({ JAVA_HOME: '/opt/jdk-21' }); // ['/opt/jdk-21', '/usr/lib/jvm/temurin-25-jdk-amd64', …]
 */
export function jdkCandidates(environment = process.env, jvmDirectory = '/usr/lib/jvm') {
  const others = existsSync(jvmDirectory)
    ? readdirSync(jvmDirectory)
        .sort()
        .map((name) => join(jvmDirectory, name))
    : [];
  const ordered = [environment.JAVA_HOME, TEMURIN_HOME, ...others].filter((home) => home);
  return [...new Set(ordered)];
}

/**
 * The first candidate JDK of at least {@link MINIMUM_JDK_MAJOR}; a {@link ProvisionError} listing
 * what was found otherwise, since the real-Keycloak suites cannot start without it.
 *
 * @example
 * const { javaHome, major } = findJdk({ log: console.error });
 */
export function findJdk({
  log,
  candidates = jdkCandidates(),
  majorOf = javaMajorVersion,
  minimumMajor = MINIMUM_JDK_MAJOR,
}) {
  const seen = [];
  for (const javaHome of candidates) {
    const major = majorOf(javaHome);
    if (major !== undefined && major >= minimumMajor) {
      log(`jdk: Java ${major} at ${javaHome}`);
      return { javaHome, major };
    }
    seen.push(`${javaHome} (${major === undefined ? 'no bin/java' : `Java ${major}`})`);
  }
  throw new ProvisionError(
    `Keycloak needs a JDK ${minimumMajor} or newer, and none was found. Looked at: ${seen.join(', ') || 'nothing'}. ` +
      `Install Temurin 25 (${TEMURIN_HOME}) or set JAVA_HOME to a JDK ${minimumMajor}+, then run \`npm test\` again.`,
  );
}
