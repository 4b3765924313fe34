import { isDualAuthError, type TokenRequestError, type TokenResponse } from '@dual-auth/core';
import { decodeJwt } from 'jose';
import { expect } from 'vitest';
import type { ExpectedRefusal, IssuedRefusal } from '../idp-adapter-harness.ts';

/** Asserts that `error` is the {@link TokenRequestError} the harness expects, and returns it. */
export function expectRefusal(error: unknown, expected: ExpectedRefusal): TokenRequestError {
  expect(
    isDualAuthError(error, 'ERR_TOKEN_REQUEST'),
    `expected a TokenRequestError, got ${String(error)}`,
  ).toBe(true);
  const refusal = error as TokenRequestError;
  expect({
    status: refusal.status,
    oauthError: refusal.oauthError,
    vendorCode: refusal.vendorCode,
  }).toMatchObject(expected);
  return refusal;
}

/** Asserts a refusal: the typed error, or, for an {@link IssuedRefusal}, the mark on the issued token. */
export async function expectRefused(
  request: () => Promise<TokenResponse>,
  expected: ExpectedRefusal | IssuedRefusal,
): Promise<void> {
  if ('marked' in expected) {
    expected.marked(decodeJwt((await request()).accessToken));
    return;
  }
  expectRefusal(await rejection(request()), expected);
}

/** What a promise rejects with; an `Error` when it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('the request was expected to fail'),
    (reason: unknown) => reason,
  );
}
