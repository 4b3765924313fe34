import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findJdk, javaMajorVersion, jdkCandidates, TEMURIN_HOME } from './jdk.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'dual-auth-jdk-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A JDK folder whose bin/java prints `versionLine` on stderr, as `java -version` does. */
function fakeJdk(name: string, versionLine: string): string {
  const home = join(scratch, name);
  mkdirSync(join(home, 'bin'), { recursive: true });
  writeFileSync(join(home, 'bin', 'java'), `#!/bin/sh\necho '${versionLine}' >&2\n`);
  chmodSync(join(home, 'bin', 'java'), 0o755);
  return home;
}

describe('javaMajorVersion', () => {
  it('reads the major version of modern and 1.x version strings', () => {
    expect(javaMajorVersion(fakeJdk('jdk25', 'openjdk version "25.0.1" 2025-10-21 LTS'))).toBe(25);
    expect(javaMajorVersion(fakeJdk('jdk8', 'openjdk version "1.8.0_392"'))).toBe(8);
    expect(javaMajorVersion(join(scratch, 'absent'))).toBeUndefined();
  });
});

describe('findJdk', () => {
  it('takes the first candidate of Java 21 or newer', () => {
    const majors: Record<string, number> = { '/jdk17': 17, '/jdk21': 21, '/jdk25': 25 };
    const found = findJdk({
      log: () => {},
      candidates: ['/jdk17', '/jdk21', '/jdk25'],
      majorOf: (home: string) => majors[home],
    });
    expect(found).toEqual({ javaHome: '/jdk21', major: 21 });
  });

  it('fails naming what it found and the Temurin path when no JDK is new enough', () => {
    const attempt = () =>
      findJdk({
        log: () => {},
        candidates: ['/usr/lib/jvm/java-17-openjdk-amd64', '/missing'],
        majorOf: (home: string) => (home === '/missing' ? undefined : 17),
      });
    expect(attempt).toThrow(
      expect.objectContaining({
        name: 'ProvisionError',
        message: expect.stringContaining(
          'Looked at: /usr/lib/jvm/java-17-openjdk-amd64 (Java 17), /missing (no bin/java)',
        ),
      }),
    );
    expect(attempt).toThrow(TEMURIN_HOME);
  });

  it('looks at JAVA_HOME first, then Temurin 25, then the other JDKs', () => {
    const jvm = join(scratch, 'jvm');
    mkdirSync(join(jvm, 'java-17'), { recursive: true });
    expect(jdkCandidates({ JAVA_HOME: '/opt/jdk' }, jvm)).toEqual([
      '/opt/jdk',
      TEMURIN_HOME,
      join(jvm, 'java-17'),
    ]);
    expect(jdkCandidates({}, join(scratch, 'no-jvm'))).toEqual([TEMURIN_HOME]);
  });
});
