import type { JwsAlgorithm as JoseAlgorithm, PublicKeyInput } from '@dual-auth/core/jose';

/**
 * The JWS algorithms the verifier checks: asymmetric only, each bound to one key type (the keys
 * and signatures are checked by `@dual-auth/core/jose`).
 *
 * @example
 * ```ts
 * createVerifier({ ...options, algorithms: ['ES256'] satisfies JwsAlgorithm[] });
 * ```
 */
export type JwsAlgorithm = Extract<
  JoseAlgorithm,
  'RS256' | 'PS256' | 'ES256' | 'ES384' | 'EdDSA' | 'Ed25519'
>;

/** Every algorithm the verifier supports; `none` and the HMAC family are never among them. */
export const supportedAlgorithms: readonly JwsAlgorithm[] = Object.freeze([
  'RS256',
  'PS256',
  'ES256',
  'ES384',
  'EdDSA',
  'Ed25519',
]);

export type { PublicKeyInput };
