import type { JsonWebKey, KeyObject, webcrypto } from 'node:crypto';
import { type Clock, systemClock } from './clock.ts';
import { importHmacSigningKey } from './jose/hmac-signing-key.ts';
import { signCompactJws } from './jose/sign-compact-jws.ts';
import {
  importSigningKey,
  isSigningKeyFailure,
  type SigningKey,
  type SigningKeyFailure,
} from './jose/signing-key.ts';
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
 * const privateKey: ClientAssertionPrivateKey = { key: pem, alg: 'RS256', x5tS256 };
 * ```
 */
export interface ClientAssertionPrivateKey {
  /** A private `CryptoKey`, Node `KeyObject`, private JWK or PEM private key (PKCS#8; PKCS#1 and SEC1 on Node). */
  readonly key: webcrypto.CryptoKey | KeyObject | JsonWebKey | string;
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
 * or a claim that would replace a registered one, or a private key that does not fit its `alg`.
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
  let header: Record<string, unknown>;
  let signer: SigningKey<string>;
  if (key.type === 'client_secret') {
    if (key.secret.isEmpty) throw new TypeError('the client secret must not be empty');
    header = { alg: 'HS256', typ: 'JWT' };
    signer = await secretSigner(key.secret);
  } else {
    const { privateKey } = key;
    if (!privateKeyAlgorithms.has(privateKey.alg)) {
      throw new TypeError('privateKey.alg must be RS256, PS256, ES256 or EdDSA');
    }
    header = {
      alg: privateKey.alg,
      typ: 'JWT',
      ...(privateKey.kid === undefined ? {} : { kid: privateKey.kid }),
      ...(privateKey.x5tS256 === undefined ? {} : { 'x5t#S256': privateKey.x5tS256 }),
    };
    signer = await privateKeySigner(privateKey);
  }
  const now = Math.floor(clock() / 1000);
  // The members in jose's SignJWT order (extra claims, then iss, sub, aud, jti, iat, exp), so the
  // assertions stay byte for byte what they were.
  const payload = {
    ...claims,
    iss: clientId,
    sub: clientId,
    aud: audience,
    jti: crypto.randomUUID(),
    iat: now,
    exp: now + lifetimeSeconds,
  };
  return signCompactJws(header, payload, signer.sign);
}

// A secret or key is imported once, on its first assertion; later ones sign directly.
const importedSecrets = new WeakMap<Secret, Promise<SigningKey<string> | SigningKeyFailure>>();
const importedKeys = new WeakMap<object, Map<string, Promise<SigningKey | SigningKeyFailure>>>();

async function secretSigner(secret: Secret): Promise<SigningKey<string>> {
  let imported = importedSecrets.get(secret);
  if (imported === undefined) {
    // RFC 7518 §3.2 wants 32 bytes for HS256, but the secret is the IdP's to choose, and refusing a
    // short one would turn a wrong secret into a configuration error (doctor's wrong_credentials).
    imported = importHmacSigningKey(new TextEncoder().encode(secret.reveal()), 'HS256', {
      shortKeys: 'accept',
    });
    importedSecrets.set(secret, imported);
  }
  const signer = await imported;
  if (isSigningKeyFailure(signer)) throw new TypeError('the client secret must not be empty');
  return signer;
}

async function privateKeySigner(privateKey: ClientAssertionPrivateKey): Promise<SigningKey> {
  const { key, alg } = privateKey;
  let imported: Promise<SigningKey | SigningKeyFailure> | undefined;
  let byAlgorithm: Map<string, Promise<SigningKey | SigningKeyFailure>> | undefined;
  if (typeof key === 'object' && key !== null) {
    byAlgorithm = importedKeys.get(key);
    if (byAlgorithm === undefined) {
      byAlgorithm = new Map();
      importedKeys.set(key, byAlgorithm);
    }
    imported = byAlgorithm.get(alg);
  }
  if (imported === undefined) {
    imported = importSigningKey(key, alg);
    byAlgorithm?.set(alg, imported);
  }
  const signer = await imported;
  if (isSigningKeyFailure(signer)) throw new TypeError(`privateKey.key ${signer.message} (${alg})`);
  return signer;
}
