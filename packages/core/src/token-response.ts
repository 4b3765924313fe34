import { REDACTED } from './secret.ts';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** The `exp` of a compact JWT we signed ourselves, epoch ms; `undefined` when it has none. */
function expiryOf(compactJwt: string): number | undefined {
  const payload = compactJwt.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const json = new TextDecoder().decode(Uint8Array.from(binary, (character) => character.charCodeAt(0)));
    const exp: unknown = JSON.parse(json).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a {@link TokenResponse} is built from.
 *
 * @example
 * ```ts
 * new TokenResponse({ accessToken, tokenType: 'Bearer', expiresIn: 300, scope: ['finance.read'] });
 * ```
 */
export interface TokenResponseInit {
  readonly accessToken: string;
  /** `Bearer` for every supported IdP. */
  readonly tokenType: string;
  /** Lifetime in seconds, as the IdP reported it. */
  readonly expiresIn: number;
  /** When the token was received, epoch milliseconds (default: now). */
  readonly receivedAt?: number;
  /** Granted scopes, when the IdP reported them. */
  readonly scope?: readonly string[];
  /** The application-signed act assertion that travels with the token in hybrid mode. */
  readonly actAssertion?: string;
}

/**
 * A dual-subject token as the agent holds it. The access token and the act assertion are readable
 * (`tokenResponse.accessToken`) but never serialized: `JSON.stringify`, `util.inspect`, `toString`
 * and template strings show only the type, lifetime and scopes.
 *
 * @example
 * ```ts
 * const tokenResponse = new TokenResponse({ accessToken, tokenType: 'Bearer', expiresIn: 300 });
 * headers.set('authorization', `Bearer ${tokenResponse.accessToken}`);
 * JSON.stringify(tokenResponse); // {"tokenType":"Bearer","expiresIn":300,"expiresAt":…,"scope":[],"hasActAssertion":false}
 * ```
 */
export class TokenResponse {
  readonly #accessToken: string;
  readonly #actAssertion: string | undefined;
  /** `Bearer`. */
  readonly tokenType: string;
  /** Lifetime in seconds, as the IdP reported it (shorter when the act assertion expires first). */
  readonly expiresIn: number;
  /** Absolute expiry, epoch milliseconds: `receivedAt + expiresIn`. */
  readonly expiresAt: number;
  /** Granted scopes (empty when the IdP did not report them). */
  readonly scope: readonly string[];

  constructor(init: TokenResponseInit) {
    if (typeof init.accessToken !== 'string' || init.accessToken.length === 0) {
      throw new TypeError('TokenResponse: accessToken must be a non-empty string');
    }
    if (!Number.isFinite(init.expiresIn) || init.expiresIn < 0) {
      throw new TypeError('TokenResponse: expiresIn must be a non-negative number of seconds');
    }
    this.#accessToken = init.accessToken;
    this.#actAssertion = init.actAssertion;
    this.tokenType = init.tokenType;
    this.expiresIn = init.expiresIn;
    this.expiresAt = (init.receivedAt ?? Date.now()) + init.expiresIn * 1000;
    this.scope = Object.freeze([...(init.scope ?? [])]);
    Object.freeze(this);
  }

  /** The access token, for the `Authorization` header. */
  get accessToken(): string {
    return this.#accessToken;
  }

  /** The act assertion for the `X-Act-Assertion` header, present in hybrid mode. */
  get actAssertion(): string | undefined {
    return this.#actAssertion;
  }

  /** Whether this token travels with an act assertion (hybrid mode). */
  get hasActAssertion(): boolean {
    return this.#actAssertion !== undefined;
  }

  /**
   * A copy carrying an act assertion, expiring when the first of the two expires; the original is
   * unchanged.
   *
   * @example
   * ```ts
   * return plainTokenResponse.withActAssertion(await signActAssertion({ accessToken, agentId, act }));
   * ```
   */
  withActAssertion(actAssertion: string): TokenResponse {
    const receivedAt = this.expiresAt - this.expiresIn * 1000;
    // The pair is only as good as its shorter-lived half: a cache must not hand out a token whose
    // assertion (300 s by default) expired long before the token (often an hour).
    const assertionExpiresAt = expiryOf(actAssertion);
    const expiresAt = Math.min(this.expiresAt, assertionExpiresAt ?? Number.POSITIVE_INFINITY);
    return new TokenResponse({
      accessToken: this.#accessToken,
      tokenType: this.tokenType,
      expiresIn: Math.max(0, (expiresAt - receivedAt) / 1000),
      receivedAt,
      scope: this.scope,
      actAssertion,
    });
  }

  /** Whether the token is still usable at `now` (epoch ms), keeping `marginSeconds` in reserve. */
  isFresh(now: number, marginSeconds = 0): boolean {
    return now + marginSeconds * 1000 < this.expiresAt;
  }

  toJSON(): Record<string, unknown> {
    return {
      tokenType: this.tokenType,
      expiresIn: this.expiresIn,
      expiresAt: this.expiresAt,
      scope: this.scope,
      hasActAssertion: this.hasActAssertion,
    };
  }

  toString(): string {
    return `TokenResponse(${this.tokenType}, expires ${new Date(this.expiresAt).toISOString()}, ${REDACTED})`;
  }

  [inspectSymbol](): string {
    return `TokenResponse ${JSON.stringify(this.toJSON())}`;
  }
}
