import { TokenResponse } from '@dual-auth/core';

// Stored form: explicit fields, so nothing but the token's own data reaches Redis.
interface StoredToken {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly expiresIn: number;
  readonly expiresAt: number;
  readonly scope: readonly string[];
  readonly actAssertion?: string;
}

const MAXIMUM_STORED_LENGTH = 64 * 1024;

/** The text stored for `token` and its time to live in ms, or `undefined` once it has expired. */
export function encodeStoredToken(
  token: TokenResponse,
  now: number,
): { readonly text: string; readonly ttlMs: number } | undefined {
  const ttlMs = Math.floor(token.expiresAt - now);
  if (ttlMs <= 0) return undefined;
  const stored: StoredToken = {
    accessToken: token.accessToken,
    tokenType: token.tokenType,
    expiresIn: token.expiresIn,
    expiresAt: token.expiresAt,
    scope: token.scope,
    ...(token.actAssertion === undefined ? {} : { actAssertion: token.actAssertion }),
  };
  return { text: JSON.stringify(stored), ttlMs };
}

/** The token stored as `text`, or `undefined` when the text is not a well-formed stored token. */
export function decodeStoredToken(text: string): TokenResponse | undefined {
  if (text.length > MAXIMUM_STORED_LENGTH) return undefined;
  let value: Partial<StoredToken>;
  try {
    value = JSON.parse(text) as Partial<StoredToken>;
  } catch {
    return undefined;
  }
  const { accessToken, tokenType, expiresIn, expiresAt, scope, actAssertion } = value ?? {};
  if (
    typeof accessToken !== 'string' ||
    typeof tokenType !== 'string' ||
    typeof expiresIn !== 'number' ||
    typeof expiresAt !== 'number' ||
    !Array.isArray(scope) ||
    !scope.every((item) => typeof item === 'string') ||
    (actAssertion !== undefined && typeof actAssertion !== 'string')
  ) {
    return undefined;
  }
  try {
    return new TokenResponse({
      accessToken,
      tokenType,
      expiresIn,
      receivedAt: expiresAt - expiresIn * 1000,
      scope,
      ...(actAssertion === undefined ? {} : { actAssertion }),
    });
  } catch {
    return undefined;
  }
}
