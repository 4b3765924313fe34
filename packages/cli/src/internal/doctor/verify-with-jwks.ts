import {
  importVerificationKey,
  isKeyImportFailure,
  type JoseFailure,
  type JsonObject,
  type KeySource,
  pickKeys,
  SUPPORTED_JWS_ALGORITHMS,
  type VerificationKey,
  verifyCompactJws,
} from '@dual-auth/core/jose';

/** A JSON Web Key Set as the IdP or the application serves it. */
export interface DoctorJwks {
  readonly keys: readonly object[];
}

/** A token's claims: the registered ones typed, the rest as they came. */
export interface TokenClaims extends JsonObject {
  readonly iss?: string;
  readonly sub?: string;
  readonly aud?: string | string[];
  readonly exp?: number;
  readonly iat?: number;
  readonly nbf?: number;
  readonly act?: unknown;
}

/** What {@link verifyWithJwks} checks besides the signature. */
export interface JwksVerifyOptions {
  readonly issuer: string;
  readonly audience?: string;
  readonly typ?: string;
}

/** A refusal, worded as jose's `jwtVerify` words it (doctor has always shown those texts). */
export interface JwksVerifyFailure {
  readonly ok: false;
  readonly message: string;
  /** The claim refused, as jose's `JWTClaimValidationFailed#claim`. */
  readonly claim: string | undefined;
  /** The verified claims when a claim was refused. */
  readonly payload: TokenClaims | undefined;
}

const everyAlgorithm = new Set(SUPPORTED_JWS_ALGORITHMS);

/**
 * Verifies `token` with the keys of `jwks` through the JOSE layer, with the rules of jose's
 * `jwtVerify(token, createLocalJWKSet(jwks), options)` that doctor used before: a key is chosen by
 * `kid` (every key when the token has none) and `alg`; `iss`, and `aud` and `typ` when asked, must
 * match; `nbf` and `exp`, when present, hold at this second with no skew.
 */
export async function verifyWithJwks(
  token: string,
  jwks: DoctorJwks,
  options: JwksVerifyOptions,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<{ readonly ok: true; readonly payload: TokenClaims } | JwksVerifyFailure> {
  if (!Array.isArray(jwks?.keys)) return refused('JSON Web Key Set malformed');
  const keys: VerificationKey[] = [];
  for (const jwk of jwks.keys) {
    const key = importVerificationKey(jwk as never, everyAlgorithm);
    if (!isKeyImportFailure(key)) keys.push(key);
  }
  const source: KeySource = { select: (kid, algorithm) => pickKeys(keys, kid, algorithm) };
  const verified = await verifyCompactJws(token, source, everyAlgorithm);
  if (!verified.ok) return refused(joseWording(verified));
  const { header, payload } = verified;
  if (
    options.typ !== undefined &&
    (typeof header.typ !== 'string' || normalTyp(header.typ) !== normalTyp(options.typ))
  )
    return refused('unexpected "typ" JWT header value', 'typ', payload);
  if (!Object.hasOwn(payload, 'iss')) return refused('missing required "iss" claim', 'iss', payload);
  if (options.audience !== undefined && !Object.hasOwn(payload, 'aud'))
    return refused('missing required "aud" claim', 'aud', payload);
  if (payload.iss !== options.issuer) return refused('unexpected "iss" claim value', 'iss', payload);
  if (options.audience !== undefined && !audienceHas(payload.aud, options.audience))
    return refused('unexpected "aud" claim value', 'aud', payload);
  for (const claim of ['iat', 'nbf'] as const) {
    if (payload[claim] !== undefined && typeof payload[claim] !== 'number')
      return refused(`"${claim}" claim must be a number`, claim, payload);
  }
  if (typeof payload.nbf === 'number' && payload.nbf > nowSeconds)
    return refused('"nbf" claim timestamp check failed', 'nbf', payload);
  if (payload.exp !== undefined && typeof payload.exp !== 'number')
    return refused('"exp" claim must be a number', 'exp', payload);
  if (typeof payload.exp === 'number' && payload.exp <= nowSeconds)
    return refused('"exp" claim timestamp check failed', 'exp', payload);
  return { ok: true, payload: payload as TokenClaims };
}

function refused(message: string, claim?: string, payload?: JsonObject): JwksVerifyFailure {
  return { ok: false, message, claim, payload: payload as TokenClaims | undefined };
}

// jose's texts for the layer's reasons; the layer refuses a few headers jose lets pass (crit it
// does not know, jku, x5u, jwk, x5c, b64, zip, enc), which an IdP's tokens never carry.
function joseWording(failure: JoseFailure): string {
  switch (failure.reason) {
    case 'bad_signature':
      return 'signature verification failed';
    case 'unknown_kid':
    case 'key_alg_mismatch':
      return 'no applicable key found in the JSON Web Key Set';
    case 'alg_not_allowed':
      return 'Unsupported "alg" value for a JSON Web Key Set';
    case 'header_not_accepted':
      return `the token ${failure.detail}`;
    default:
      if (failure.detail === 'payload is not a JSON object')
        return 'JWT Claims Set must be a top-level JSON object';
      if (failure.detail === 'header is not a JSON object') return 'JWS Protected Header is invalid';
      if (failure.detail === 'header has no alg')
        return 'JWS "alg" (Algorithm) Header Parameter missing or invalid';
      return 'Invalid Compact JWS';
  }
}

// jose compares `typ` case-insensitively, `application/` implied when there is no `/` (RFC 7515 §4.1.9).
function normalTyp(typ: string): string {
  const lower = typ.toLowerCase();
  return typ.includes('/') ? lower : `application/${lower}`;
}

function audienceHas(aud: unknown, audience: string): boolean {
  return typeof aud === 'string' ? aud === audience : Array.isArray(aud) && aud.includes(audience);
}
