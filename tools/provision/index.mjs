#!/usr/bin/env node
// Provisions what the test suites talk to, before `npm test` runs them: Debian's redis-server and
// Chromium, a JDK for Keycloak, the Keycloak distribution and the Python venv. Every step skips
// when its result is already in place (the downloads are cached under .cache/), and a step that
// cannot finish ends the run non-zero with a message saying what to do. Plain Node, no
// dependencies: it runs before anything else is built.
//
//   node tools/provision/index.mjs                     every step
//   node tools/provision/index.mjs python jdk          only the named steps

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { provisionDebianPackages } from './debian.mjs';
import { findJdk } from './jdk.mjs';
import { ProvisionError } from './provision-error.mjs';
import { provisionPython } from './python.mjs';

const keycloakModule = new URL('./keycloak.mjs', import.meta.url);

async function provisionKeycloakStep({ root, log, javaHome }) {
  if (!existsSync(fileURLToPath(keycloakModule))) {
    log('keycloak: tools/provision/keycloak.mjs is not in this checkout, nothing to provision');
    return undefined;
  }
  const { provisionKeycloak } = await import(keycloakModule.href);
  return provisionKeycloak({ root, log, javaHome });
}

/** The steps in the order they run; keycloak gets the JDK the jdk step found. */
export const PROVISION_STEPS = {
  debian: ({ log }) => provisionDebianPackages({ log }),
  jdk: ({ log }) => findJdk({ log }),
  keycloak: ({ root, log, results }) => provisionKeycloakStep({ root, log, javaHome: results.jdk?.javaHome }),
  python: ({ root, log }) => provisionPython({ root, log }),
};

/**
 * Runs the named provisioning steps (all by default) in order and returns each step's result.
 * Throws the first {@link ProvisionError}.
 *
 * @example
 * const { python } = await provision({ root: '/work/main', log: console.error, only: ['python'] });
 *
 * @typedef {{ root: string, log: (message: string) => void, results: Record<string, any> }} StepContext
 * @param {{ root: string, log: (message: string) => void, only?: string[],
 *   steps?: Record<string, (context: StepContext) => unknown> }} options
 * @returns {Promise<Record<string, any>>}
 */
export async function provision({ root, log, only = Object.keys(PROVISION_STEPS), steps = PROVISION_STEPS }) {
  const unknown = only.filter((name) => !(name in steps));
  if (unknown.length > 0)
    throw new ProvisionError(`unknown step ${unknown.join(', ')}: use ${Object.keys(steps).join(', ')}`);
  const results = {};
  for (const [name, step] of Object.entries(steps)) {
    if (!only.includes(name)) continue;
    const started = performance.now();
    results[name] = await step({ root, log, results });
    log(`${name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return results;
}

async function main() {
  const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
  const log = (message) => process.stderr.write(`provision: ${message}\n`);
  const only = process.argv.slice(2);
  const started = performance.now();
  try {
    await provision({ root, log, ...(only.length > 0 ? { only } : {}) });
  } catch (error) {
    if (!(error instanceof ProvisionError)) throw error;
    process.stderr.write(`\nprovision: ${error.message}\n`);
    process.exit(1);
  }
  log(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
