// Which Node the project accepts, read from the root package.json's `engines.node` (one `>=x.y.z`
// range), so the bootstrap and npm agree: a Node 22.0–22.11 must not pass a check of the major alone.

/**
 * The lowest accepted version in an `engines.node` range of the form `>=22`, `>=22.12` or
 * `>=22.12.0`.
 *
 * @example
 * minimumNodeVersion('>=22.12'); // [22, 12, 0]
 *
 * @param {string | undefined} range
 * @returns {[number, number, number]}
 */
export function minimumNodeVersion(range) {
  const match = /^\s*>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(range ?? '');
  if (!match) throw new TypeError(`engines.node must be one ">=x.y.z" range, found "${range}"`);
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

/**
 * Whether a Node version (`process.versions.node`, e.g. `22.11.0`) is at least the minimum.
 *
 * @example
 * isAtLeast('22.11.0', [22, 12, 0]); // false
 *
 * @param {string} version
 * @param {readonly [number, number, number]} minimum
 * @returns {boolean}
 */
export function isAtLeast(version, minimum) {
  const parts = version.replace(/^v/, '').split('.').map(Number);
  for (let index = 0; index < 3; index++) {
    const part = parts[index] ?? 0;
    if (part !== minimum[index]) return part > minimum[index];
  }
  return true;
}
