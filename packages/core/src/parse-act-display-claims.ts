import { ConfigurationError } from './errors.ts';

/**
 * The setting that lets display claims of the human travel in act JWTs, act assertions and token
 * requests: `DUAL_AUTH_ACT_DISPLAY_CLAIMS` in the environment (read by `getConfig()` into
 * `config.actDisplayClaims`), `actDisplayClaims` as an option.
 *
 * @example
 * ```ts
 * process.env[ACT_DISPLAY_CLAIMS_SETTING] = 'email,name'; // a seed deployment whose API shows them
 * ```
 */
export const ACT_DISPLAY_CLAIMS_SETTING = 'DUAL_AUTH_ACT_DISPLAY_CLAIMS';

/**
 * A display claim of the human that may be disclosed on the wire besides the IAM ids.
 *
 * @example
 * ```ts
 * const claims: readonly ActDisplayClaim[] = ['email', 'name'];
 * ```
 */
export type ActDisplayClaim = 'email' | 'name';

const displayClaims: readonly ActDisplayClaim[] = ['email', 'name'];

function refuse(problem: string): ConfigurationError {
  return new ConfigurationError(
    `${ACT_DISPLAY_CLAIMS_SETTING} (actDisplayClaims) ${problem}: list none, or email and/or name, e.g. ${ACT_DISPLAY_CLAIMS_SETTING}=email,name.`,
    { setting: ACT_DISPLAY_CLAIMS_SETTING },
  );
}

/**
 * Validates the display claims allowed on the wire: a comma- or space-separated list (the
 * environment form, `email,name`) or an array (the option form, `['email', 'name']`). Empty or
 * `undefined` means none, the default: only the IAM ids (`sub`, and Entra's `oid`) travel. An
 * unknown entry is a `ConfigurationError` naming the setting; it is not echoed, as a misplaced
 * email address must not reach a log.
 *
 * @example
 * ```ts
 * parseActDisplayClaims('email, name'); // ['email', 'name']
 * parseActDisplayClaims(undefined); // []
 * ```
 * @throws {ConfigurationError} for anything but `email` and `name` (`setting` is `DUAL_AUTH_ACT_DISPLAY_CLAIMS`).
 */
export function parseActDisplayClaims(value: unknown): readonly ActDisplayClaim[] {
  if (value === undefined) return Object.freeze([]);
  let entries: readonly unknown[];
  if (typeof value === 'string') entries = value.split(/[\s,]+/).filter((entry) => entry !== '');
  else if (Array.isArray(value)) entries = value;
  else throw refuse('must be a list');
  const chosen = new Set<ActDisplayClaim>();
  entries.forEach((entry, index) => {
    const claim = typeof entry === 'string' ? entry.trim().toLowerCase() : undefined;
    if (!displayClaims.includes(claim as ActDisplayClaim)) {
      throw refuse(`entry ${index + 1} is not a display claim`);
    }
    chosen.add(claim as ActDisplayClaim);
  });
  return Object.freeze(displayClaims.filter((claim) => chosen.has(claim)));
}
