import { parseStrictJsonObject } from '@dual-auth/core';
import {
  decodeBase64UrlText,
  decodeStrictAsciiBase64Url,
  decodeStrictBase64Url,
  decodeUtf8,
  encodeAsciiText,
} from './base64url.ts';
import { invalid } from './deny.ts';
import type { JsonObject } from './json-object.ts';
import type { KeySource } from './key-source.ts';
import type { JwsAlgorithm, VerificationKey } from './verification-key.ts';

/** A JWS whose signature has been checked, with its header and payload as strict JSON objects. */
export interface VerifiedJws {
  readonly header: JsonObject;
  readonly payload: JsonObject;
}

/** Longest `kid` accepted; it is only ever a lookup key, never a path or URL. */
const maximumKidLength = 256;

// Headers that point at key material chosen by the token's author: never trusted, so refused.
const untrustedKeyHeaders = ['jku', 'x5u', 'jwk', 'x5c'] as const;

// An IdP signs every token of one key with the same header, so its segment is parsed once. The
// memo is small and emptied when full, so made-up headers cannot grow it.
const headerMemo = new Map<string, JsonObject | null>();
const headerMemoSize = 64;

// The last header seen: a fresh segment is compared with it before the memo is asked, since the
// memo's lookup hashes the whole segment on every token (about 0.3 µs of 7 in verifyCompactJws).
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
  const header = text === undefined ? undefined : parseStrictJsonObject(text);
  if (headerMemo.size >= headerMemoSize) headerMemo.clear();
  headerMemo.set(segment, header === undefined ? null : Object.freeze(header));
  return header;
}

interface ParsedJws {
  readonly header: JsonObject;
  readonly algorithm: JwsAlgorithm;
  readonly kid: string | undefined;
  readonly signingInput: string;
  /** The signing input's bytes when the whole token is ASCII (always so for a well-formed one). */
  readonly signingBytes: Uint8Array | undefined;
  readonly payloadSegment: string;
  readonly signature: Uint8Array;
}

function parse(token: string, allowed: ReadonlySet<JwsAlgorithm>, label: string): ParsedJws {
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (second < 0 || token.indexOf('.', second + 1) >= 0)
    invalid(`${label} is not a compact JWS (three segments)`);
  const headerSegment = token.slice(0, first);
  const payloadSegment = token.slice(first + 1, second);
  const signatureSegment = token.slice(second + 1);
  if (headerSegment === '' || payloadSegment === '' || signatureSegment === '')
    invalid(`${label} has an empty segment`);
  // One encoding of the whole token gives the signing input's bytes for the signature check and
  // tells whether every character is ASCII, which lets the segments be decoded strictly without
  // encoding them back (see decodeStrictAsciiBase64Url).
  const tokenBytes = encodeAsciiText(token);
  const signature =
    tokenBytes === undefined
      ? decodeStrictBase64Url(signatureSegment)
      : decodeStrictAsciiBase64Url(signatureSegment);
  if (signature === undefined) invalid(`${label} is not base64url`);
  const header = parseHeader(headerSegment);
  if (header === undefined) invalid(`${label} header is not a JSON object`);
  const algorithm = header.alg;
  if (typeof algorithm !== 'string' || !allowed.has(algorithm as JwsAlgorithm)) {
    invalid(`${label} algorithm is not allowed`);
  }
  if (header.crit !== undefined) invalid(`${label} has a crit header`);
  for (const name of untrustedKeyHeaders) {
    if (header[name] !== undefined) invalid(`${label} has a ${name} header, which is never trusted`);
  }
  const kid = header.kid;
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0 || kid.length > maximumKidLength)) {
    invalid(`${label} kid is malformed`);
  }
  return {
    header,
    algorithm: algorithm as JwsAlgorithm,
    kid,
    signingInput: token.slice(0, second),
    signingBytes: tokenBytes?.subarray(0, second),
    payloadSegment,
    signature,
  };
}

function payloadOf(parsed: ParsedJws, label: string): VerifiedJws {
  const bytes =
    parsed.signingBytes === undefined
      ? decodeStrictBase64Url(parsed.payloadSegment)
      : decodeStrictAsciiBase64Url(parsed.payloadSegment);
  if (bytes === undefined) invalid(`${label} is not base64url`);
  const text = decodeUtf8(bytes);
  const payload = text === undefined ? undefined : parseStrictJsonObject(text);
  if (payload === undefined) invalid(`${label} payload is not a JSON object`);
  return { header: parsed.header, payload };
}

async function verifyAsync(
  parsed: ParsedJws,
  candidates: readonly VerificationKey[] | Promise<readonly VerificationKey[]>,
  label: string,
): Promise<VerifiedJws> {
  const keys = await candidates;
  for (const key of keys) {
    if (await key.verify(parsed.algorithm, parsed.signingInput, parsed.signature, parsed.signingBytes))
      return payloadOf(parsed, label);
  }
  return invalid(keys.length === 0 ? `${label}: no key fits the token` : `${label} signature is invalid`);
}

/**
 * Parses and verifies a compact JWS: strict base64url and JSON, an allowed algorithm bound to the
 * key's type, no `crit`, no key-carrying headers, and a signature by one of the source's keys.
 * Synchronous when the keys are at hand and the runtime verifies synchronously (Node).
 */
export function verifyCompactJws(
  token: string,
  keys: KeySource,
  allowed: ReadonlySet<JwsAlgorithm>,
  label: string,
): VerifiedJws | Promise<VerifiedJws> {
  const parsed = parse(token, allowed, label);
  const candidates = keys.select(parsed.kid, parsed.algorithm);
  if (candidates instanceof Promise) return verifyAsync(parsed, candidates, label);
  if (candidates.length === 1) {
    const verdict = (candidates[0] as VerificationKey).verify(
      parsed.algorithm,
      parsed.signingInput,
      parsed.signature,
      parsed.signingBytes,
    );
    if (verdict === true) return payloadOf(parsed, label);
    if (verdict === false) invalid(`${label} signature is invalid`);
  }
  return verifyAsync(parsed, candidates, label);
}
