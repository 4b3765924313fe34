import { isVendor, parseAct, type Vendor } from '@dual-auth/core';
import { UserSession } from './user-session.ts';

/**
 * Options of {@link userSessionFromIdTokenClaims}.
 *
 * @example
 * ```ts
 * const options: IdTokenClaimsOptions = { vendor: 'entraid' }; // the IAM id is the `oid` claim
 * const user = userSessionFromIdTokenClaims(verifiedClaims, options);
 * ```
 */
export interface IdTokenClaimsOptions {
  /** The IdP that issued the ID token: it decides which claim is the IAM user id. */
  readonly vendor: Vendor;
}

/**
 * Builds a {@link UserSession} from the claims of an OIDC ID token **your login flow already
 * verified** (signature, issuer, audience, expiry, nonce). The IAM user id is `sub` at Keycloak,
 * Auth0 and Okta, and the object id `oid` at Entra ID (whose `sub` is pairwise per application and
 * whose `preferred_username` is mutable, so neither identifies the human across systems). The email
 * comes from `email`, else from `preferred_username` or `upn` when they are email addresses; the
 * name from `name`. Display fields that fail validation are left out; a missing id is a `TypeError`.
 *
 * @example
 * ```ts
 * const { payload } = await jwtVerify(idToken, jwks, { issuer, audience: clientId });
 * const userSession = userSessionFromIdTokenClaims(payload, { vendor: 'entraid' });
 * const act = sender.extractActFromSession(userSession); // act.sub === payload.oid
 * ```
 */
export function userSessionFromIdTokenClaims(
  claims: Readonly<Record<string, unknown>>,
  options: IdTokenClaimsOptions,
): UserSession {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new TypeError('userSessionFromIdTokenClaims: claims must be the verified ID token payload object');
  }
  const vendor = options?.vendor;
  if (!isVendor(vendor)) {
    throw new TypeError('userSessionFromIdTokenClaims: vendor must be keycloak, auth0, okta or entraid');
  }
  const idClaim = vendor === 'entraid' ? 'oid' : 'sub';
  const userId = claims[idClaim];
  if (typeof userId !== 'string' || userId.trim() === '') {
    const hint = vendor === 'entraid' ? ' (request the profile scope so Entra ID includes oid)' : '';
    throw new TypeError(`userSessionFromIdTokenClaims: the ID token has no ${idClaim} claim${hint}`);
  }
  const userEmail = [claims.email, claims.preferred_username, claims.upn].find(isEmail);
  const userName = displayName(claims.name);
  return new UserSession({
    userId,
    ...(userEmail === undefined ? {} : { userEmail }),
    ...(userName === undefined ? {} : { userName }),
    ...(vendor === 'entraid' ? { userOid: userId } : {}),
  });
}

function isEmail(value: unknown): value is string {
  return typeof value === 'string' && parseAct({ sub: 'probe', email: value }).ok;
}

function displayName(value: unknown): string | undefined {
  return typeof value === 'string' && parseAct({ sub: 'probe', name: value }).ok ? value : undefined;
}
