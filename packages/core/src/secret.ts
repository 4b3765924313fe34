const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * What a {@link Secret} shows wherever it is printed, serialized or interpolated.
 *
 * @example
 * ```ts
 * expect(JSON.stringify(new Secret('s3cret'))).toBe(`"${REDACTED}"`);
 * ```
 */
export const REDACTED = '[REDACTED]';

/**
 * A sensitive string (client secret, access token, private key, act assertion) that cannot leak by
 * accident: `JSON.stringify`, `util.inspect`, `toString`, template strings and `console.log` all
 * show `[REDACTED]`. Only {@link Secret.reveal} returns the value, so every use is explicit and
 * easy to find in review.
 *
 * @example
 * ```ts
 * const clientSecret = new Secret(process.env.AGENT_CLIENT_SECRET ?? '');
 * console.log(`${clientSecret}`); // [REDACTED]
 * body.set('client_secret', clientSecret.reveal());
 * ```
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    if (typeof value !== 'string') throw new TypeError('Secret: value must be a string');
    this.#value = value;
    Object.freeze(this);
  }

  /** The secret value itself. Call it only where the value leaves for its one rightful destination. */
  reveal(): string {
    return this.#value;
  }

  /** Whether the value is the empty string. */
  get isEmpty(): boolean {
    return this.#value.length === 0;
  }

  /** Constant-time comparison with another value (both are hashed first, so lengths do not leak). */
  async equals(other: Secret | string): Promise<boolean> {
    const otherValue = other instanceof Secret ? other.reveal() : other;
    const encoder = new TextEncoder();
    const [a, b] = await Promise.all([
      crypto.subtle.digest('SHA-256', encoder.encode(this.#value)),
      crypto.subtle.digest('SHA-256', encoder.encode(otherValue)),
    ]);
    const left = new Uint8Array(a);
    const right = new Uint8Array(b);
    let difference = 0;
    for (let index = 0; index < left.length; index++) difference |= (left[index] ?? 0) ^ (right[index] ?? 0);
    return difference === 0;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspectSymbol](): string {
    return `Secret(${REDACTED})`;
  }
}
