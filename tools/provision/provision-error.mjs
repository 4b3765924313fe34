/**
 * A provisioning step that cannot finish: its message says what is missing and how to fix it,
 * and the run ends non-zero instead of letting the tests skip.
 *
 * @example
 * throw new ProvisionError('missing Debian packages: redis-server (run as root: apt-get install redis-server)');
 */
export class ProvisionError extends Error {
  name = 'ProvisionError';
}
