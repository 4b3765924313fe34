import { ConfigurationError } from './errors.ts';
import type { Environment } from './secrets-backend.ts';

/**
 * What {@link readEnvironmentSetting} accepts for one variable.
 *
 * @example
 * ```ts
 * const rule: EnvironmentSettingRule = { name: 'DUAL_AUTH_GCP_PROJECT', pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, expected: 'a project id' };
 * ```
 */
export interface EnvironmentSettingRule {
  /** The variable, e.g. `DUAL_AUTH_AWS_REGION`. */
  readonly name: string;
  /** The value when the variable is unset or blank; without one, the setting is required. */
  readonly defaultValue?: string;
  /** What a valid value looks like (tested after trimming). */
  readonly pattern: RegExp;
  /** What the value must be, for messages: `an AWS region such as us-east-1`. */
  readonly expected: string;
}

/**
 * Reads one setting of a secrets backend (`DUAL_AUTH_AWS_REGION`, `DUAL_AUTH_GCP_PROJECT`…) from
 * `environment`: trimmed, blank counted as unset, the default applied, the pattern checked. A missing
 * required or malformed value is a `ConfigurationError` naming the variable, never its value.
 *
 * @example
 * ```ts
 * const region = readEnvironmentSetting(environment, {
 *   name: 'DUAL_AUTH_AWS_REGION',
 *   defaultValue: 'us-east-1',
 *   pattern: /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/,
 *   expected: 'an AWS region such as us-east-1',
 * });
 * ```
 * @throws {ConfigurationError} with `setting` set to the variable's name.
 */
export function readEnvironmentSetting(environment: Environment, rule: EnvironmentSettingRule): string {
  const raw = environment[rule.name]?.trim();
  const value = raw === undefined || raw === '' ? rule.defaultValue : raw;
  if (value === undefined) {
    throw new ConfigurationError(`${rule.name} is not set: it must be ${rule.expected}.`, {
      setting: rule.name,
    });
  }
  if (!rule.pattern.test(value)) {
    throw new ConfigurationError(`${rule.name} must be ${rule.expected}.`, { setting: rule.name });
  }
  return value;
}
