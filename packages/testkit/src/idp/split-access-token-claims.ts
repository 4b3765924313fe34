type Claims = Record<string, unknown>;

/** oidc-provider's access-token payload, split into what each vendor lays out its own way and the rest. */
export interface SplitAccessTokenClaims {
  readonly iss: unknown;
  readonly iat: unknown;
  readonly exp: unknown;
  readonly jti: unknown;
  /** The granted scopes (oidc-provider's space-separated `scope`). */
  readonly scopes: string[];
  /** The claims added by `extraTokenClaims` (the vendor's pre-approval), none of the registered ones. */
  readonly extra: Claims;
}

/** Splits oidc-provider's payload; `sub`, `aud` and `client_id` are dropped, each vendor sets its own. */
export function splitAccessTokenClaims(payload: Claims): SplitAccessTokenClaims {
  const { iss, iat, exp, jti, scope, client_id: _clientId, sub: _sub, aud: _aud, ...extra } = payload;
  const scopes = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
  return { iss, iat, exp, jti, scopes, extra };
}
