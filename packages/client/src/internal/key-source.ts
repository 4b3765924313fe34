import type { VerificationKey } from './verification-key.ts';

/**
 * Where the application's public keys come from: one configured key, or the application's JWKS.
 * `keysFor` returns the keys that may have signed a JWT with this `kid` (all of them when the
 * JWT names none); the verifier then checks each key's algorithms and the signature.
 */
export interface KeySource {
  keysFor(kid: string | undefined): Promise<readonly VerificationKey[]>;
}
