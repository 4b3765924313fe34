import type { JoseFailure } from './jose-failure.ts';
import { joseFailure } from './jose-failure.ts';
import type { JwsAlgorithm } from './jws-algorithm.ts';
import {
  importVerificationKey,
  isKeyImportFailure,
  type KeyImportFailure,
  type PublicKeyInput,
  type VerificationKey,
} from './verification-key.ts';

/**
 * The keys that may have checked a token's signature, or why there are none (`unknown_kid`,
 * `key_alg_mismatch`, `jwks_unavailable`).
 *
 * @example
 * ```ts
 * const selection: KeySelection = [key];
 * ```
 */
export type KeySelection = readonly VerificationKey[] | JoseFailure;

/**
 * Finds the keys that may have signed a token; a promise only when the key set must be fetched.
 *
 * @example
 * ```ts
 * const selection = await keySource.select(header.kid, 'ES256');
 * ```
 */
export interface KeySource {
  select(kid: string | undefined, algorithm: JwsAlgorithm): KeySelection | Promise<KeySelection>;
}

/**
 * The keys of `keys` with this `kid` (any when the token names none) that allow `algorithm`, or the
 * failure naming why none does.
 *
 * @example
 * ```ts
 * const selection = pickKeys(keys, 'key-1', 'RS256');
 * ```
 */
export function pickKeys(
  keys: readonly VerificationKey[],
  kid: string | undefined,
  algorithm: JwsAlgorithm,
): KeySelection {
  const named = kid === undefined ? keys : keys.filter((key) => key.kid === kid);
  const found = named.filter((key) => key.algorithms.has(algorithm));
  if (found.length > 0) return Object.freeze(found);
  return named.length > 0 ? keyAlgMismatch : noKeyFits;
}

const noKeyFits = joseFailure('unknown_kid', 'no key fits the token');
const keyAlgMismatch = joseFailure('key_alg_mismatch', 'no key fits the token');

/**
 * A refusal of {@link createStaticKeySource}: which configured key (by index) and why.
 *
 * @example
 * ```ts
 * throw new TypeError(`keys[${error.index}] ${error.failure.message}`);
 * ```
 */
export class StaticKeyError extends TypeError {
  readonly index: number;
  readonly failure: KeyImportFailure;
  constructor(index: number, failure: KeyImportFailure, message: string) {
    super(message);
    this.name = 'TypeError';
    this.index = index;
    this.failure = failure;
  }
}

/**
 * Keys given in configuration: a JWKS (`{ keys }`), an array, or one JWK, PEM string or KeyObject.
 * A key without a `kid` matches a token with one only when no key carries that `kid`, as with a
 * single PEM key. Throws a {@link StaticKeyError} (a `TypeError` naming `setting[index]`) for an
 * unusable key.
 *
 * @example
 * ```ts
 * const source = createStaticKeySource(readFileSync('app-public.pem', 'utf8'), new Set(['ES256']), 'keys');
 * ```
 */
export function createStaticKeySource(
  input: unknown,
  allowed: ReadonlySet<JwsAlgorithm>,
  setting: string,
  maximumKeys = 100,
): KeySource {
  const items: unknown[] = Array.isArray(input)
    ? input
    : typeof input === 'object' && input !== null && Array.isArray((input as { keys?: unknown }).keys)
      ? (input as { keys: unknown[] }).keys
      : [input];
  if (items.length === 0 || items.length > maximumKeys) {
    throw new TypeError(`${setting} must hold between 1 and ${maximumKeys} keys`);
  }
  const keys = items.map((item, index) => {
    const key = importVerificationKey(item as PublicKeyInput, allowed);
    if (isKeyImportFailure(key)) throw new StaticKeyError(index, key, `${setting}[${index}] ${key.message}`);
    return key;
  });
  return staticKeySource(keys);
}

/**
 * A {@link KeySource} over keys already imported.
 *
 * @example
 * ```ts
 * const source = staticKeySource([key]);
 * ```
 */
export function staticKeySource(keys: readonly VerificationKey[]): KeySource {
  function choose(kid: string | undefined, algorithm: JwsAlgorithm): KeySelection {
    const found = pickKeys(keys, kid, algorithm);
    if (!Array.isArray(found) && kid !== undefined) {
      const unnamed = keys.filter((key) => key.kid === undefined);
      if (unnamed.length > 0) return pickKeys(unnamed, undefined, algorithm);
    }
    return found;
  }
  // The keys never change, and an issuer's tokens carry the same kid and alg one after another:
  // the last choice is reused rather than filtering the keys again on every token.
  let lastKid: string | undefined;
  let lastAlgorithm: JwsAlgorithm | undefined;
  let lastChoice: KeySelection = [];
  return {
    select(kid, algorithm) {
      if (kid !== lastKid || algorithm !== lastAlgorithm) {
        lastChoice = choose(kid, algorithm);
        lastKid = kid;
        lastAlgorithm = algorithm;
      }
      return lastChoice;
    },
  };
}
