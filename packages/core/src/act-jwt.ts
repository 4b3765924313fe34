import type { Act } from './act.ts';
import type { DelegationClaim } from './delegation.ts';

/**
 * AGBAC's version, carried as the `agbac_ver` claim.
 *
 * @example
 * ```ts
 * const claims = { act, agbac_ver: AGBAC_VERSION }; // agbac_ver: '1.0'
 * ```
 */
export const AGBAC_VERSION = '1.0';

/**
 * JOSE `typ` of an out-of-session act JWT (application → agent). Explicit typing keeps an act JWT
 * from being accepted where an access token or act assertion is expected, and the reverse.
 *
 * @example
 * ```ts
 * await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: ACT_JWT_TYPE }).sign(key);
 * ```
 */
export const ACT_JWT_TYPE = 'act+jwt';

/**
 * JOSE `typ` of a hybrid-mode act assertion (agent → API, beside a plain agent token).
 *
 * @example
 * ```ts
 * if (protectedHeader.typ !== ACT_ASSERTION_TYPE) deny('token_invalid');
 * ```
 */
export const ACT_ASSERTION_TYPE = 'act-assertion+jwt';

/**
 * The HTTP header that carries the act assertion in hybrid mode.
 *
 * @example
 * ```ts
 * headers.set(ACT_ASSERTION_HEADER, tokenResponse.actAssertion);
 * ```
 */
export const ACT_ASSERTION_HEADER = 'X-Act-Assertion';

/**
 * Bounds of an act JWT's lifetime (`exp - iat`), in seconds: short-lived, never long-lived.
 *
 * @example
 * ```ts
 * const ttl = Math.min(requested, ACT_JWT_LIFETIME_SECONDS.maximum);
 * ```
 */
export const ACT_JWT_LIFETIME_SECONDS = Object.freeze({ minimum: 10, maximum: 300, default: 60 });

/**
 * Largest act JWT or act assertion accepted, in characters of its compact form, checked before parsing.
 *
 * @example
 * ```ts
 * if (actJwt.length > MAXIMUM_ACT_JWT_LENGTH) throw new ActVerificationError('too_large', 'act JWT too large');
 * ```
 */
export const MAXIMUM_ACT_JWT_LENGTH = 8 * 1024;

/**
 * Claims of an out-of-session act JWT, signed by the application's key and sent to a remote agent.
 * `sub` repeats the human's id (`act.sub`), as the Python reference does, so that its act JWTs and
 * ours are interchangeable.
 *
 * @example
 * ```ts
 * const claims: ActJwtClaims = {
 *   iss: 'https://app.example.com', sub: act.sub, aud: 'https://agent.example.com/invoke',
 *   iat: now, exp: now + 60, jti: crypto.randomUUID(), act, agbac_ver: AGBAC_VERSION,
 *   delegation: toDelegationClaim(delegation),
 * };
 * ```
 */
export interface ActJwtClaims {
  /** The application (`APP_ID`). */
  readonly iss: string;
  /** The human's IAM user id, equal to `act.sub`. */
  readonly sub: string;
  /** The agent endpoint (`AGENT_ENDPOINT`). */
  readonly aud: string;
  readonly iat: number;
  readonly exp: number;
  /** Single-use id, recorded by the agent's replay store. */
  readonly jti: string;
  readonly act: Act;
  readonly delegation?: DelegationClaim;
  readonly agbac_ver?: typeof AGBAC_VERSION;
}

/**
 * Claims of a hybrid-mode act assertion: the human, bound to one access token (`ath`, as in DPoP:
 * base64url SHA-256 of the token) and one agent (`client_id`), for one API (`aud`).
 *
 * @example
 * ```ts
 * const claims: ActAssertionClaims = { ...actJwtLikeClaims, aud: 'https://api.example.com', client_id: agentId, ath: await accessTokenHash(accessToken) };
 * ```
 */
export interface ActAssertionClaims extends ActJwtClaims {
  /** The agent whose token this assertion accompanies. */
  readonly client_id: string;
  /** base64url(SHA-256(access token)). */
  readonly ath: string;
  readonly delegation: DelegationClaim;
  readonly agbac_ver: typeof AGBAC_VERSION;
}

/**
 * The `ath` value binding an act assertion to an access token: base64url (no padding) of the
 * SHA-256 of the token's ASCII form, as DPoP (RFC 9449 §4.2) defines it.
 *
 * @example
 * ```ts
 * if (claims.ath !== (await accessTokenHash(bearerToken))) deny('token_invalid');
 * ```
 */
export async function accessTokenHash(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
  return base64UrlEncode(new Uint8Array(digest));
}

function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
