/**
 * The JWS algorithms dual-auth can check and sign: asymmetric only, each bound to one key type.
 * `none` and the HMAC family are never among them (`client_secret_jwt` assertions are signed by `importHmacSigningKey`, never verified).
 *
 * @example
 * ```ts
 * const allowed: ReadonlySet<JwsAlgorithm> = new Set(['ES256', 'EdDSA']);
 * ```
 */
export type JwsAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'Ed25519';

/**
 * Every {@link JwsAlgorithm}, in a fixed order.
 *
 * @example
 * ```ts
 * const allowed = new Set(SUPPORTED_JWS_ALGORITHMS);
 * ```
 */
export const SUPPORTED_JWS_ALGORITHMS: readonly JwsAlgorithm[] = Object.freeze([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);

const supported: ReadonlySet<string> = new Set(SUPPORTED_JWS_ALGORITHMS);

/**
 * Whether `value` names a {@link JwsAlgorithm}.
 *
 * @example
 * ```ts
 * if (!isJwsAlgorithm(header.alg)) return refuse('alg_not_allowed');
 * ```
 */
export function isJwsAlgorithm(value: unknown): value is JwsAlgorithm {
  return typeof value === 'string' && supported.has(value);
}
