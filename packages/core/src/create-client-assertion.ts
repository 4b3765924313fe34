import { type CryptoKey, type JWK, type KeyObject, SignJWT } from 'jose';
import { type Clock, systemClock } from './clock.ts';
import type { Secret } from './secret.ts';

/**
 * `client_assertion_type` of a JWT client assertion (RFC 7523 §2.2).
 *
 * @example
 * ```ts
 * body.set('client_assertion_type', CLIENT_ASSERTION_TYPE);
 * ```
 */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Signature algorithms accepted for `private_key_jwt`.
 *
 * @example
 * ```ts
 * const alg: PrivateKeyAlgorithm = 'ES256';
 * ```
 */
export type PrivateKeyAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'EdDSA';

/**
 * The agent's private key for `private_key_jwt`.
 *
 * @example
 * ```ts
 * const privateKey: ClientAssertionPrivateKey = { key: await importPKCS8(pem, 'RS256'), alg: 'RS256', x5tS256 };
 * ```
 */
export interface ClientAssertionPrivateKey {
  /** A private `CryptoKey`, Node `KeyObject` or private JWK. */
  readonly key: CryptoKey | KeyObject | JWK;
  readonly alg: PrivateKeyAlgorithm;
  /** Key id registered at the IdP, sent as the `kid` header. */
  readonly kid?: string;
  /** base64url SHA-256 thumbprint of the key's certificate, sent as `x5t#S256` (Entra ID certificates). */
  readonly x5tS256?: string;
}

/**
 * What signs a client assertion: the client secret (`client_secret_jwt`, HS256) or a private key.
 *
 * @example
 * ```ts
 * const key: ClientAssertionKey = { type: 'client_secret', secret: config.clientSecret };
 * ```
 */
export type ClientAssertionKey =
  | { readonly type: 'client_secret'; readonly secret: Secret }
  | { readonly type: 'private_key'; readonly privateKey: ClientAssertionPrivateKey };

/**
 * Options of {@link createClientAssertion}.
 *
 * @example
 * ```ts
 * const options: ClientAssertionOptions = { clientId, audience: tokenUrl, key, lifetimeSeconds: 60 };
 * ```
 */
export interface ClientAssertionOptions {
  /** The client id, as `iss` and `sub`. */
  readonly clientId: string;
  /** The one audience the IdP expects (its issuer or the exact token URL, depending on the vendor). */
  readonly audience: string;
  readonly key: ClientAssertionKey;
  /** Extra claims (e.g. `act`, `delegation`, `agbac_ver`); they cannot replace the registered ones. */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** Lifetime in seconds, 1–300 (default 60). */
  readonly lifetimeSeconds?: number;
  readonly clock?: Clock;
}

const privateKeyAlgorithms: ReadonlySet<string> = new Set(['RS256', 'PS256', 'ES256', 'EdDSA']);
const registeredClaims = ['iss', 'sub', 'aud', 'jti', 'iat', 'nbf', 'exp'];

/**
 * Signs a JWT client assertion (RFC 7523) for `client_secret_jwt` (HS256 with the client secret)
 * or `private_key_jwt`: `iss` = `sub` = the client id, one `aud`, a fresh random `jti`, `iat`,
 * `exp` at most 300 s later, plus any extra claims. Send it as `client_assertion` with
 * `client_assertion_type` = {@link CLIENT_ASSERTION_TYPE}.
 *
 * @example
 * ```ts
 * const assertion = await createClientAssertion({
 *   clientId: 'finance-agent',
 *   audience: 'https://sso.example.com/realms/prod',
 *   key: { type: 'client_secret', secret: config.clientSecret },
 *   claims: { act, delegation: toDelegationClaim(delegation), agbac_ver: AGBAC_VERSION },
 * });
 * ```
 * @throws {TypeError} for an empty client id or audience, a bad lifetime, an unsupported algorithm
 * or a claim that would replace a registered one.
 */
export async function createClientAssertion(options: ClientAssertionOptions): Promise<string> {
  const { clientId, audience, key, claims = {}, lifetimeSeconds = 60, clock = systemClock } = options;
  if (typeof clientId !== 'string' || clientId === '')
    throw new TypeError('clientId must be a non-empty string');
  if (typeof audience !== 'string' || audience === '')
    throw new TypeError('audience must be a non-empty string');
  if (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds < 1 || lifetimeSeconds > 300) {
    throw new TypeError('lifetimeSeconds must be an integer from 1 to 300');
  }
  const replaced = registeredClaims.filter((name) => Object.hasOwn(claims, name));
  if (replaced.length > 0) throw new TypeError(`claims must not set ${replaced.join(', ')}`);
  const now = Math.floor(clock() / 1000);
  const jwt = new SignJWT({ ...claims })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setJti(crypto.randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds);
  if (key.type === 'client_secret') {
    if (key.secret.isEmpty) throw new TypeError('the client secret must not be empty');
    return jwt
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(key.secret.reveal()));
  }
  const { privateKey } = key;
  if (!privateKeyAlgorithms.has(privateKey.alg)) {
    throw new TypeError('privateKey.alg must be RS256, PS256, ES256 or EdDSA');
  }
  return jwt
    .setProtectedHeader({
      alg: privateKey.alg,
      typ: 'JWT',
      ...(privateKey.kid === undefined ? {} : { kid: privateKey.kid }),
      ...(privateKey.x5tS256 === undefined ? {} : { 'x5t#S256': privateKey.x5tS256 }),
    })
    .sign(privateKey.key);
}
