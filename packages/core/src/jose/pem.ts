import { decodeBase64Url } from './base64url.ts';

/**
 * The DER bytes of the first PEM block labelled `label` ("PUBLIC KEY", "CERTIFICATE", "PRIVATE
 * KEY") in `pem`, or `undefined` when there is none or its body is not base64.
 *
 * @example
 * ```ts
 * const der = decodePem(pem, 'PUBLIC KEY');
 * if (der !== undefined) await crypto.subtle.importKey('spki', der, params, false, ['verify']);
 * ```
 */
export function decodePem(pem: string, label: string): Uint8Array<ArrayBuffer> | undefined {
  const begin = `-----BEGIN ${label}-----`;
  const start = pem.indexOf(begin);
  const end = start < 0 ? -1 : pem.indexOf(`-----END ${label}-----`, start);
  if (end < 0) return undefined;
  const body = pem.slice(start + begin.length, end).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined;
  try {
    return decodeBase64Url(
      body.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
    ) as Uint8Array<ArrayBuffer>;
  } catch {
    return undefined;
  }
}

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

// One DER tag-length-value at `offset` (definite lengths only, as DER requires).
function readTlv(der: Uint8Array, offset: number, limit: number): Tlv | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = der[offset] as number;
  let length = der[offset + 1] as number;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || contentStart + count > limit) return undefined;
    length = 0;
    for (let index = 0; index < count; index++) length = length * 256 + (der[contentStart + index] as number);
    contentStart += count;
  }
  const end = contentStart + length;
  return end > limit ? undefined : { tag, start: offset, contentStart, end };
}

const SEQUENCE = 0x30;
const VERSION = 0xa0;

/**
 * The `subjectPublicKeyInfo` (SPKI DER) of an X.509 certificate's DER (RFC 5280 §4.1), for runtimes
 * without `node:crypto`, whose `createPublicKey` reads certificates itself. Nothing else of the
 * certificate is read or checked: it only carries a key the caller configured.
 *
 * @example
 * ```ts
 * const spki = subjectPublicKeyInfoOf(decodePem(pem, 'CERTIFICATE') ?? new Uint8Array());
 * ```
 */
export function subjectPublicKeyInfoOf(certificate: Uint8Array): Uint8Array<ArrayBuffer> | undefined {
  const outer = readTlv(certificate, 0, certificate.length);
  if (outer?.tag !== SEQUENCE) return undefined;
  const tbs = readTlv(certificate, outer.contentStart, outer.end);
  if (tbs?.tag !== SEQUENCE) return undefined;
  // tbsCertificate: [0] version (optional), serialNumber, signature, issuer, validity, subject, SPKI.
  let field = readTlv(certificate, tbs.contentStart, tbs.end);
  if (field?.tag === VERSION) field = readTlv(certificate, field.end, tbs.end);
  for (let skipped = 0; skipped < 5 && field !== undefined; skipped++) {
    field = readTlv(certificate, field.end, tbs.end);
  }
  if (field?.tag !== SEQUENCE) return undefined;
  return certificate.slice(field.start, field.end) as Uint8Array<ArrayBuffer>;
}
