/** A remembered parse: the input's members in order, and what parsing it gave. */
interface Remembered<R> {
  readonly names: readonly string[];
  readonly values: readonly (string | number)[];
  readonly result: R;
}

/**
 * Wraps a pure parser of small flat records (an `act`, a `delegation`) with a memory of the last
 * few distinct inputs, compared member by member. The same human and delegation recur across many
 * tokens, so this keeps the uncached path fast without changing any verdict. Inputs that are not
 * flat records of strings and numbers are parsed every time.
 */
export function memoize<R>(parse: (input: unknown) => R, size: number): (input: unknown) => R {
  const recent: Remembered<R>[] = [];
  let nextSlot = 0;
  return (input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return parse(input);
    const record = input as Record<string, unknown>;
    // Indexed: for…of made an iterator per call, on every token.
    for (let index = 0; index < recent.length; index++) {
      const entry = recent[index] as Remembered<R>;
      if (matches(entry, record)) return entry.result;
    }
    const names: string[] = [];
    const values: (string | number)[] = [];
    for (const name in record) {
      const value = record[name];
      if (typeof value !== 'string' && typeof value !== 'number') return parse(input);
      names.push(name);
      values.push(value);
    }
    const result = parse(input);
    recent[nextSlot] = { names, values, result };
    nextSlot = (nextSlot + 1) % size;
    return result;
  };
}

function matches<R>(entry: Remembered<R>, record: Record<string, unknown>): boolean {
  let index = 0;
  for (const name in record) {
    if (entry.names[index] !== name || entry.values[index] !== record[name]) return false;
    index++;
  }
  return index === entry.names.length;
}
