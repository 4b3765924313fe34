const BACKSLASH = 92;
const QUOTE = 34;
const COLON = 58;
// Deeper nesting than any token or JWKS needs; bounds the recursion on hostile input.
const MAXIMUM_DEPTH = 32;

/**
 * Parses `text` as a JSON object, refusing what `JSON.parse` silently accepts: a top-level value
 * that is not an object, duplicate member names at any depth (also when spelled with escapes, as
 * `"sub"` and `"\u0073ub"`), `__proto__` members, and nesting deeper than 32 levels. Returns
 * `undefined` on any refusal, so a token header or payload has exactly one reading.
 *
 * @example
 * ```ts
 * const header = parseStrictJsonObject(new TextDecoder().decode(headerBytes));
 * if (header === undefined) throw new ActVerificationError('malformed', 'header is not a JSON object');
 * parseStrictJsonObject('{"sub":"alice","\\u0073ub":"admin"}'); // undefined: duplicate member name
 * ```
 */
export function parseStrictJsonObject(text: string): Readonly<Record<string, unknown>> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  // JSON.parse keeps the last of duplicate names, so the parsed tree has fewer members than the
  // text names: comparing the two counts finds every duplicate without a second parser.
  const members = countMembers(value, 0, hasEnumerableInheritedKeys());
  if (members < 0) return undefined;
  // The quick count can only overstate the member names, never understate them: when it equals
  // the parsed members there is no duplicate. Otherwise the exact count decides.
  if (members === countColonsAfterQuotes(text) || members === countMemberNames(text)) {
    return value as Readonly<Record<string, unknown>>;
  }
  return undefined;
}

/**
 * An upper bound on the member names in valid JSON `text`: the colons whose previous character
 * other than whitespace is a `"`. Every name is followed by such a colon; a colon inside a string
 * is counted too when it comes right after a `"` (`":…"`, `\":`), which only raises the count.
 * One native search per colon: about twice as fast as {@link countMemberNames} on a token.
 */
function countColonsAfterQuotes(text: string): number {
  let count = 0;
  let colon = text.indexOf(':');
  while (colon !== -1) {
    let before = colon - 1;
    let code = text.charCodeAt(before);
    while (code === 32 || code === 9 || code === 10 || code === 13) code = text.charCodeAt(--before);
    if (code === QUOTE) count++;
    colon = text.indexOf(':', colon + 1);
  }
  return count;
}

/**
 * Whether `for…in` over a parsed object would also list inherited names: only when someone has
 * added an enumerable property to `Object.prototype` (every parsed object's only ancestor).
 */
function hasEnumerableInheritedKeys(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

/**
 * Members in the parsed tree, or -1 for a `__proto__` member or nesting deeper than the limit.
 * `for…in` walks the parsed objects without allocating a key array per object (about twice as fast
 * as `Object.keys` on a token); the own-property check is needed only when `Object.prototype`
 * carries enumerable names.
 */
function countMembers(value: object, depth: number, inherited: boolean): number {
  if (depth > MAXIMUM_DEPTH) return -1;
  let total = 0;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (typeof item === 'object' && item !== null) {
        const inner = countMembers(item, depth + 1, inherited);
        if (inner < 0) return -1;
        total += inner;
      }
    }
    return total;
  }
  for (const key in value) {
    if (inherited && !Object.hasOwn(value, key)) continue;
    // JSON.parse makes `"__proto__"` an own, enumerable member: refused, at any depth.
    if (key === '__proto__') return -1;
    total++;
    const member = (value as Record<string, unknown>)[key];
    if (typeof member === 'object' && member !== null) {
      const inner = countMembers(member, depth + 1, inherited);
      if (inner < 0) return -1;
      total += inner;
    }
  }
  return total;
}

/**
 * Number of member names in valid JSON `text`: the colons outside strings, since in valid JSON a
 * colon outside a string only ever separates a member's name from its value.
 */
function countMemberNames(text: string): number {
  // Without a backslash every `"` opens or closes a string, so indexOf jumps to a string's end
  // natively; the structure between strings is a few characters, read one by one.
  if (text.indexOf('\\') !== -1) return countMemberNamesEscaped(text);
  let count = 0;
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      index = text.indexOf('"', index + 1);
      if (index === -1) return count;
    } else if (code === COLON) count++;
  }
  return count;
}

/** {@link countMemberNames} for text with escapes: a backslash inside a string skips the next character. */
function countMemberNamesEscaped(text: string): number {
  let count = 0;
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      for (index++; index < length; index++) {
        const inner = text.charCodeAt(index);
        if (inner === QUOTE) break;
        if (inner === BACKSLASH) index++;
      }
    } else if (code === COLON) count++;
  }
  return count;
}
