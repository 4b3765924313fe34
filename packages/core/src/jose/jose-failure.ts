/**
 * Why a JWS or its registered claims were refused. Each caller maps a reason onto its own typed
 * error (the client's `ActVerificationError` reasons, the verifier's `token_invalid` and
 * `idp_unavailable` denials, the CLI's hints).
 *
 * @example
 * ```ts
 * const reason: JoseFailureReason = 'wrong_audience';
 * ```
 */
export type JoseFailureReason =
  | 'malformed'
  | 'alg_not_allowed'
  | 'header_not_accepted'
  | 'unknown_kid'
  | 'key_alg_mismatch'
  | 'jwks_unavailable'
  | 'bad_signature'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'missing_claim'
  | 'expired'
  | 'not_yet_valid'
  | 'issued_in_future'
  | 'lifetime_too_long';

/**
 * A refusal: the reason code and a short description of what was wrong ("has an empty segment"),
 * worded to follow a label such as "access token". It never holds any part of the token.
 *
 * @example
 * ```ts
 * if (!result.ok) throw new Error(`access token ${result.detail}`);
 * ```
 */
export interface JoseFailure {
  readonly ok: false;
  readonly reason: JoseFailureReason;
  readonly detail: string;
}

const known = new Map<string, JoseFailure>();

/**
 * The {@link JoseFailure} for `reason` and `detail`, one frozen object per pair, so refusing a
 * flood of bad tokens allocates nothing.
 *
 * @example
 * ```ts
 * return joseFailure('malformed', 'has an empty segment');
 * ```
 */
export function joseFailure(reason: JoseFailureReason, detail: string): JoseFailure {
  const key = `${reason} ${detail}`;
  let failure = known.get(key);
  if (failure === undefined) {
    failure = Object.freeze({ ok: false as const, reason, detail });
    // Details are fixed texts (a header name at most), so this stays small; the bound is a guard.
    if (known.size < 256) known.set(key, failure);
  }
  return failure;
}
