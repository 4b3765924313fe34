/**
 * Refuses options under a name this package no longer reads (JavaScript callers, casts), with a
 * `TypeError` naming the option to use instead: a silently ignored key option would be worse.
 */
export function refuseRenamedOptions(
  options: object,
  renamed: Readonly<Record<string, string>>,
  owner: string,
): void {
  for (const [old, current] of Object.entries(renamed)) {
    if (Object.hasOwn(options, old)) throw new TypeError(`${owner}: ${old} was renamed ${current}`);
  }
}
