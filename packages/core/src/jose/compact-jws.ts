import { parseStrictJsonObject } from '../parse-strict-json-object.ts';
import { decodeBase64UrlText, decodeStrictAsciiBase64Url, decodeStrictBase64Url } from './base64url.ts';
import { type JoseFailure, joseFailure } from './jose-failure.ts';
import type { JwsAlgorithm } from './jws-algorithm.ts';
import type { KeySelection, KeySource } from './key-source.ts';
import { decodeAsciiBase64UrlText, isAsciiText } from './transient-bytes.ts';
import type { VerificationKey } from './verification-key.ts';

/**
 * A JSON object parsed from untrusted text by `parseStrictJsonObject`: plain, own properties only.
 *
 * @example
 * ```ts
 * const audience = (payload as JsonObject).aud;
 * ```
 */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * A compact JWS whose header passed the checks of {@link parseCompactJws}; its signature is not
 * checked yet and its payload not read.
 *
 * @example
 * ```ts
 * const parsed = parseCompactJws(token, allowed);
 * if (parsed.ok && parsed.header.typ !== 'act+jwt') refuse('type_invalid');
 * ```
 */
export interface ParsedJws {
  readonly ok: true;
  readonly header: JsonObject;
  readonly algorithm: JwsAlgorithm;
  readonly kid: string | undefined;
  readonly signingInput: string;
  /** Whether the whole token is ASCII (always so for a well-formed one): its segments then decode faster. */
  readonly ascii: boolean;
  readonly payloadSegment: string;
  readonly signature: Uint8Array;
}

/**
 * A JWS whose signature has been checked, with its header and payload as strict JSON objects.
 *
 * @example
 * ```ts
 * const verified = await verifyCompactJws(token, keys, allowed);
 * if (verified.ok) console.log(verified.payload.sub);
 * ```
 */
export interface VerifiedJws {
  readonly ok: true;
  readonly header: JsonObject;
  readonly payload: JsonObject;
}

/** Longest `kid` accepted; it is only ever a lookup key, never a path or URL. */
const maximumKidLength = 256;

// Headers that point at key material chosen by the token's author (never trusted), or change how
// the JWS is processed (`crit`, `b64`, `zip`, `enc`): every one is refused.
const untrustedKeyHeaders = ['jku', 'x5u', 'jwk', 'x5c'] as const;
const unsupportedHeaders = ['b64', 'zip', 'enc'] as const;

// An issuer signs every token of one key with the same header, so its segment is parsed once. The
// memo is small and emptied when full, so made-up headers cannot grow it.
const headerMemo = new Map<string, JsonObject | null>();
const headerMemoSize = 64;

// The last header seen: a fresh segment is compared with it before the memo is asked, since the
// memo's lookup hashes the whole segment on every token (about a twentieth of an uncached decision).
let lastSegment = '';
let lastHeader: JsonObject | undefined;

function parseHeader(segment: string): JsonObject | undefined {
  if (segment === lastSegment) return lastHeader;
  const header = parseHeaderSegment(segment);
  lastSegment = segment;
  lastHeader = header;
  return header;
}

function parseHeaderSegment(segment: string): JsonObject | undefined {
  const known = headerMemo.get(segment);
  if (known !== undefined) return known ?? undefined;
  const text = decodeBase64UrlText(segment);
  const parsed = text === undefined ? undefined : parseStrictJsonObject(text);
  const header = parsed === undefined ? undefined : Object.freeze(parsed);
  if (headerMemo.size >= headerMemoSize) headerMemo.clear();
  headerMemo.set(segment, header ?? null);
  return header;
}

// Read as named members: a loop over the name lists cost an iterator and a generic keyed load per
// name, about 400 bytes of garbage per token (measured on Node 24).
function refusedHeader(header: JsonObject): JoseFailure | undefined {
  if (
    header.jku !== undefined ||
    header.x5u !== undefined ||
    header.jwk !== undefined ||
    header.x5c !== undefined
  ) {
    const name = untrustedKeyHeaders.find((candidate) => header[candidate] !== undefined);
    return joseFailure('header_not_accepted', `has a ${name} header, which is never trusted`);
  }
  if (header.b64 !== undefined || header.zip !== undefined || header.enc !== undefined) {
    const name = unsupportedHeaders.find((candidate) => header[candidate] !== undefined);
    return joseFailure('header_not_accepted', `has a ${name} header`);
  }
  return undefined;
}

const notCompact = joseFailure('malformed', 'is not a compact JWS (three segments)');
const emptySegment = joseFailure('malformed', 'has an empty segment');
const notBase64Url = joseFailure('malformed', 'is not base64url');
const headerNotObject = joseFailure('malformed', 'header is not a JSON object');
const algorithmMissing = joseFailure('malformed', 'header has no alg');
const algorithmNotAllowed = joseFailure('alg_not_allowed', 'algorithm is not allowed');
const critHeader = joseFailure('header_not_accepted', 'has a crit header');
const kidMalformed = joseFailure('malformed', 'kid is malformed');
const payloadNotObject = joseFailure('malformed', 'payload is not a JSON object');
const badSignature = joseFailure('bad_signature', 'signature is invalid');
const noKey = joseFailure('unknown_kid', 'no key fits the token');

/**
 * Parses a compact JWS strictly: three non-empty segments of canonical base64url, a header that is
 * a strict JSON object (no duplicate or `__proto__` members), an `alg` among `allowed`, no `crit`,
 * no key-carrying header (`jku`, `x5u`, `jwk`, `x5c`), no `b64`, `zip` or `enc`, and a `kid`, if
 * any, a string of 1–256 characters. Nothing of the payload is read.
 *
 * @example
 * ```ts
 * const parsed = parseCompactJws(token, new Set(['ES256']));
 * if (!parsed.ok) throw new Error(`act JWT ${parsed.detail}`);
 * ```
 */
export function parseCompactJws(token: string, allowed: ReadonlySet<JwsAlgorithm>): ParsedJws | JoseFailure {
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (second < 0 || token.indexOf('.', second + 1) >= 0) return notCompact;
  const headerSegment = token.slice(0, first);
  const payloadSegment = token.slice(first + 1, second);
  const signatureSegment = token.slice(second + 1);
  if (headerSegment === '' || payloadSegment === '') return emptySegment;
  const header = parseHeader(headerSegment);
  if (header === undefined) return headerNotObject;
  const algorithm = header.alg;
  if (typeof algorithm !== 'string') return algorithmMissing;
  if (!allowed.has(algorithm as JwsAlgorithm)) return algorithmNotAllowed;
  if (header.crit !== undefined) return critHeader;
  const refused = refusedHeader(header);
  if (refused !== undefined) return refused;
  const kid = header.kid;
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0 || kid.length > maximumKidLength)) {
    return kidMalformed;
  }
  // The header decides first (an `alg: none` token is refused for its alg, not its empty
  // signature). A token all of ASCII has its segments decoded strictly without encoding them back
  // (see decodeStrictAsciiBase64Url).
  if (signatureSegment === '') return emptySegment;
  const ascii = isAsciiText(token);
  const signature = ascii
    ? decodeStrictAsciiBase64Url(signatureSegment)
    : decodeStrictBase64Url(signatureSegment);
  if (signature === undefined) return notBase64Url;
  return {
    ok: true,
    header,
    algorithm: algorithm as JwsAlgorithm,
    kid,
    signingInput: token.slice(0, second),
    ascii,
    payloadSegment,
    signature,
  };
}

function payloadOf(parsed: ParsedJws): VerifiedJws | JoseFailure {
  const text = parsed.ascii
    ? decodeAsciiBase64UrlText(parsed.payloadSegment)
    : decodeBase64UrlText(parsed.payloadSegment);
  // Both decoders answer `undefined` for bytes that are not UTF-8 too: the round trip tells which.
  if (text === undefined) {
    return decodeStrictBase64Url(parsed.payloadSegment) === undefined ? notBase64Url : payloadNotObject;
  }
  const payload = parseStrictJsonObject(text);
  if (payload === undefined) return payloadNotObject;
  return { ok: true, header: parsed.header, payload };
}

async function verifyAsync(
  parsed: ParsedJws,
  selection: KeySelection | Promise<KeySelection>,
): Promise<VerifiedJws | JoseFailure> {
  const keys = await selection;
  if (!Array.isArray(keys)) return keys as JoseFailure;
  for (const key of keys as readonly VerificationKey[]) {
    if (await key.verify(parsed.algorithm, parsed.signingInput, parsed.signature)) return payloadOf(parsed);
  }
  return keys.length === 0 ? noKey : badSignature;
}

/**
 * Checks the signature of a {@link ParsedJws} with the source's keys for its `kid` and `alg`, then
 * reads its payload as a strict JSON object. Synchronous when the keys are at hand and the runtime
 * verifies synchronously (Node).
 *
 * @example
 * ```ts
 * const verified = await verifyParsedJws(parsed, keySource);
 * if (!verified.ok) throw new Error(verified.reason);
 * ```
 */
export function verifyParsedJws(
  parsed: ParsedJws,
  keys: KeySource,
): VerifiedJws | JoseFailure | Promise<VerifiedJws | JoseFailure> {
  const candidates = keys.select(parsed.kid, parsed.algorithm);
  if (candidates instanceof Promise) return verifyAsync(parsed, candidates);
  if (!Array.isArray(candidates)) return candidates as JoseFailure;
  if (candidates.length === 1) {
    const verdict = (candidates[0] as VerificationKey).verify(
      parsed.algorithm,
      parsed.signingInput,
      parsed.signature,
    );
    if (verdict === true) return payloadOf(parsed);
    if (verdict === false) return badSignature;
  }
  return verifyAsync(parsed, candidates);
}

/**
 * {@link parseCompactJws} then {@link verifyParsedJws}: the whole check of a compact JWS.
 *
 * @example
 * ```ts
 * const verified = await verifyCompactJws(token, keySource, new Set(['RS256']));
 * if (!verified.ok) throw new Error(`access token ${verified.detail}`);
 * ```
 */
export function verifyCompactJws(
  token: string,
  keys: KeySource,
  allowed: ReadonlySet<JwsAlgorithm>,
): VerifiedJws | JoseFailure | Promise<VerifiedJws | JoseFailure> {
  const parsed = parseCompactJws(token, allowed);
  return parsed.ok ? verifyParsedJws(parsed, keys) : parsed;
}
