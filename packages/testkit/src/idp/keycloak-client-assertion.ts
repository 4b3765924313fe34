import type { ClientAuthMethod } from './types.ts';

/**
 * Keycloak's client-assertion rules, as its `AbstractBaseJWTValidator.validateTokenActive`
 * (keycloak/keycloak, services/…/authenticators/client/AbstractBaseJWTValidator.java) applies them
 * and as Keycloak 26.7.3 answers them (apps/e2e/test/real-keycloak/differential.test.ts): a 15 s
 * clock skew; an `iat` more than the skew in the future is refused; an assertion is usable for the
 * client's `token.endpoint.auth.signing.max.exp` (default 60 s) after its `iat`, whatever its `exp`;
 * without `iat`, `exp` may be at most that far away.
 */
export const keycloakAssertionRules = { clockSkewSeconds: 15, maximumAgeSeconds: 60 } as const;

/** Why Keycloak refuses these assertion claims, in its own words, or `undefined`. */
export function keycloakAssertionTimingFailure(
  claims: Record<string, unknown>,
  nowSeconds: number,
): string | undefined {
  const { clockSkewSeconds, maximumAgeSeconds } = keycloakAssertionRules;
  const { exp, iat } = claims;
  if (typeof exp !== 'number') return 'Token exp claim is required';
  if (typeof iat !== 'number') {
    return exp - nowSeconds > maximumAgeSeconds
      ? 'Token expiration is too far in the future and iat claim not present in token'
      : undefined;
  }
  if (iat - clockSkewSeconds > nowSeconds) return 'Token was issued in the future';
  // Keycloak takes min(exp - now, max age) as the remaining lifetime: no skew on exp then.
  if (exp - nowSeconds <= 0) return 'Token is not active';
  if (nowSeconds > iat + maximumAgeSeconds) return 'Token was issued too far in the past to be used now';
  return undefined;
}

// oidc-provider's words for the checks it makes itself, and Keycloak's for the same failure.
const keycloakWords: readonly [RegExp, string][] = [
  [/jwt expired|jwt not active|"exp" claim/i, 'Token is not active'],
  [/must only be used once/i, 'Token reuse detected'],
  [/audience|"aud"/i, 'Invalid token audience'],
  [/multiple audiences/i, 'Multiple audiences not allowed'],
];

/**
 * Keycloak's answer to a client assertion it refuses: 400 `invalid_client` with its validator's
 * description; a bad signature is 400 `unauthorized_client` for client_secret_jwt and
 * 400 `invalid_client` for private_key_jwt, each in its authenticator's words (as Keycloak 26.7.3
 * answers).
 */
export function keycloakAssertionRefusal(
  detail: string,
  authMethod: ClientAuthMethod | undefined,
): { status: number; error: string; description: string } {
  if (/signature/i.test(detail)) {
    return authMethod === 'client_secret_jwt'
      ? {
          status: 400,
          error: 'unauthorized_client',
          description:
            'Client authentication with client secret signed JWT failed: Signature on JWT token by client secret  failed validation',
        }
      : {
          status: 400,
          error: 'invalid_client',
          description:
            'Client authentication with signed JWT failed: Signature on JWT token failed validation',
        };
  }
  const known = keycloakWords.find(([pattern]) => pattern.test(detail));
  return { status: 400, error: 'invalid_client', description: known?.[1] ?? detail };
}
