import { parseStrictJsonObject } from '../parse-strict-json-object.ts';
import { decodeBase64UrlText } from './base64url.ts';
import type { JsonObject } from './compact-jws.ts';
import { type JoseFailure, joseFailure } from './jose-failure.ts';

/**
 * The header and payload of a compact JWS, decoded but **not verified**: for showing a token
 * (`dual-auth inspect`) and for hints about why it was refused, never for a decision.
 *
 * @example
 * ```ts
 * const decoded = decodeUnverifiedJws(token);
 * if (decoded.ok) console.log(decoded.payload.iss);
 * ```
 */
export interface UnverifiedJws {
  readonly ok: true;
  readonly header: JsonObject;
  readonly payload: JsonObject;
}

const notCompact = joseFailure('malformed', 'is not a compact JWS (three segments)');
const headerNotObject = joseFailure('malformed', 'header is not a base64url JSON object');
const payloadNotObject = joseFailure('malformed', 'payload is not a base64url JSON object');

/**
 * Decodes a compact JWS without checking its signature: the same strict base64url and JSON as
 * verification, so what is shown is what a verifier would read.
 *
 * @example
 * ```ts
 * const decoded = decodeUnverifiedJws(token);
 * if (!decoded.ok) throw new Error(`not a decodable JWT: ${decoded.detail}`);
 * ```
 */
export function decodeUnverifiedJws(token: string): UnverifiedJws | JoseFailure {
  const segments = token.split('.');
  if (segments.length !== 3) return notCompact;
  const headerText = decodeBase64UrlText(segments[0] ?? '');
  const header = headerText === undefined ? undefined : parseStrictJsonObject(headerText);
  if (header === undefined) return headerNotObject;
  const payloadText = decodeBase64UrlText(segments[1] ?? '');
  const payload = payloadText === undefined ? undefined : parseStrictJsonObject(payloadText);
  if (payload === undefined) return payloadNotObject;
  return { ok: true, header, payload };
}
