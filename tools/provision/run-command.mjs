import { spawnSync } from 'node:child_process';
import { ProvisionError } from './provision-error.mjs';

/**
 * Runs a command with inherited output and resolves its exit status; a command that cannot start
 * (not installed) is a {@link ProvisionError}.
 *
 * @example
 * const status = runCommand('apt-get', ['update', '-qq']);
 */
export function runCommand(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw new ProvisionError(`could not start ${command}: ${result.error.message}`);
  return result.status ?? 1;
}
