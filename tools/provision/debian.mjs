import { spawnSync } from 'node:child_process';
import { ProvisionError } from './provision-error.mjs';
import { runCommand } from './run-command.mjs';

/** The system services the suites talk to: Redis for the shared stores, Chromium for the demo page. */
export const DEBIAN_PACKAGES = ['redis-server', 'chromium'];

/**
 * Whether dpkg reports `name` as installed; false as well where dpkg-query is absent.
 *
 * @example
 * if (!isDebianPackageInstalled('redis-server')) console.error('no redis-server');
 */
export function isDebianPackageInstalled(name) {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

/**
 * Installs the missing {@link DEBIAN_PACKAGES} with apt-get when running as root. Anyone else gets
 * a {@link ProvisionError} naming the packages: a test run without them would only skip or fail later.
 *
 * @example
 * provisionDebianPackages({ log: console.error });
 * // in a test: provisionDebianPackages({ uid: 1000, isInstalled: () => false, log })
 */
export function provisionDebianPackages({
  log,
  packages = DEBIAN_PACKAGES,
  uid = process.getuid?.() ?? -1,
  isInstalled = isDebianPackageInstalled,
  run = runCommand,
}) {
  const missing = packages.filter((name) => !isInstalled(name));
  if (missing.length === 0) {
    log(`debian: ${packages.join(', ')} installed`);
    return { installed: [] };
  }
  const list = missing.join(' ');
  if (uid !== 0) {
    throw new ProvisionError(
      `the test suites need the Debian packages ${list}, which are not installed, and only root can install them. ` +
        `Run \`apt-get update && apt-get install -y --no-install-recommends ${list}\` as root (or \`npm test\` as root), then \`npm test\` again.`,
    );
  }
  log(`debian: installing ${list} with apt-get`);
  const environment = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update', '-qq'], { env: environment }) !== 0)
    throw new ProvisionError('`apt-get update` failed; see its output above.');
  const install = ['install', '-y', '-qq', '--no-install-recommends', ...missing];
  // dpkg's unpacking chatter goes nowhere; its errors still reach stderr.
  if (run('apt-get', install, { env: environment, stdio: ['ignore', 'ignore', 'inherit'] }) !== 0)
    throw new ProvisionError(`\`apt-get install ${list}\` failed; see its output above.`);
  const stillMissing = missing.filter((name) => !isInstalled(name));
  if (stillMissing.length > 0)
    throw new ProvisionError(`apt-get ran, but ${stillMissing.join(' ')} is still not installed.`);
  return { installed: missing };
}
