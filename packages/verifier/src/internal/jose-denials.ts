import {
  checkRegisteredClaims as checkClaims,
  type JoseFailure,
  type JsonObject,
  type KeySource,
  type RegisteredClaimRules,
  verifyCompactJws as verifyJws,
} from '@dual-auth/core/jose';
import { Denial, invalid } from './deny.ts';
import type { JwsAlgorithm } from './verification-key.ts';

/** A JWS whose signature has been checked, with its header and payload as strict JSON objects. */
export interface VerifiedJws {
  readonly header: JsonObject;
  readonly payload: JsonObject;
}

// The JOSE layer's refusals as the verifier's denials: `idp_unavailable` (503) when no usable key
// is cached, `token_invalid` naming the failed check after the token's label otherwise.
function deny(failure: JoseFailure, label: string): never {
  if (failure.reason === 'jwks_unavailable') throw new Denial('idp_unavailable', failure.detail);
  if (failure.reason === 'unknown_kid' || failure.reason === 'key_alg_mismatch') {
    invalid(failure.detail === 'unknown key id (kid)' ? failure.detail : `${label}: no key fits the token`);
  }
  return invalid(`${label} ${failure.detail}`);
}

function accepted(result: Awaited<ReturnType<typeof verifyJws>>, label: string): VerifiedJws {
  return result.ok ? result : deny(result, label);
}

/**
 * Verifies a compact JWS with `@dual-auth/core/jose` (strict base64url and JSON, an allowed
 * algorithm bound to the key's type, no `crit`, no key-carrying headers, a signature by one of the
 * source's keys) and throws the verifier's denial for a refusal. Synchronous when the keys are at
 * hand and the runtime verifies synchronously (Node).
 */
export function verifyCompactJws(
  token: string,
  keys: KeySource,
  allowed: ReadonlySet<JwsAlgorithm>,
  label: string,
): VerifiedJws | Promise<VerifiedJws> {
  // An empty signature is reported as such before the header is read, whatever its `alg`.
  if (token.endsWith('.')) invalid(`${label} has an empty segment`);
  const result = verifyJws(token, keys, allowed);
  return result instanceof Promise ? result.then((value) => accepted(value, label)) : accepted(result, label);
}

/**
 * Checks the registered claims with `@dual-auth/core/jose` and returns `exp`, or throws the
 * verifier's `token_invalid` denial naming the claim.
 */
export function checkRegisteredClaims(
  payload: JsonObject,
  rules: RegisteredClaimRules,
  nowSeconds: number,
  label: string,
): number {
  const exp = checkClaims(payload, rules, nowSeconds);
  return typeof exp === 'number' ? exp : deny(exp, label);
}
