import type { CryptoKey, JWK } from 'jose';

/**
 * The JWS algorithms an application key can sign with. The algorithm follows the key: RSA (≥ 2048
 * bits) signs RS256, EC P-256 ES256, EC P-384 ES384, Ed25519 EdDSA.
 *
 * @example
 * ```ts
 * const algorithm: SigningAlgorithm = await sender.signingAlgorithm(); // 'EdDSA' for an Ed25519 key
 * ```
 */
export type SigningAlgorithm = 'RS256' | 'ES256' | 'ES384' | 'EdDSA';

/**
 * A WebCrypto key pair, as `crypto.subtle.generateKey` returns it.
 *
 * @example
 * ```ts
 * const keyPair: SenderCryptoKeyPair = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
 * const sender = await HybridSender.create({ privateKey: keyPair, appId: 'finance-app' });
 * ```
 */
export interface SenderCryptoKeyPair {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

/**
 * An application key as the sender takes it: PEM text (PKCS#8, PKCS#1 `RSA PRIVATE KEY`, SEC1
 * `EC PRIVATE KEY`; SPKI too for verification-only keys), a JWK, a WebCrypto `CryptoKey` or
 * `CryptoKeyPair`. PEM needs `node:crypto` (Node, Deno, Bun); JWK and CryptoKey work on any runtime
 * with WebCrypto.
 *
 * @example
 * ```ts
 * const key: SenderKey = await readFile('/run/secrets/app-key.pem', 'utf8');
 * const sender = await HybridSender.create({ privateKey: key, appId: 'https://app.example.com' });
 * ```
 */
export type SenderKey = string | JWK | CryptoKey | SenderCryptoKeyPair;

/**
 * One public key of the application's JWKS: public members only, with `kid`, `alg` and `use: 'sig'`.
 *
 * @example
 * ```ts
 * const { keys } = await sender.publicJwks();
 * const first: PublicJwk = keys[0]; // { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' }
 * ```
 */
export interface PublicJwk {
  readonly kty: 'RSA' | 'EC' | 'OKP';
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly use: 'sig';
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
  readonly n?: string;
  readonly e?: string;
}

/**
 * The application's JSON Web Key Set, as served at a JWKS URL for agents and APIs to verify act JWTs
 * and act assertions.
 *
 * @example
 * ```ts
 * app.get('/.well-known/jwks.json', async (_request, response) => response.json(await sender.publicJwks()));
 * ```
 */
export interface PublicJwks {
  readonly keys: readonly PublicJwk[];
}
