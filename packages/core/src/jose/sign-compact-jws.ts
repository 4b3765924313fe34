import { encodeAsciiText, encodeBase64Url, encodeBase64UrlText } from './base64url.ts';

/**
 * Signs the bytes of a JWS signing input; returns the JWS signature (raw r‖s for ECDSA).
 *
 * @example
 * ```ts
 * const sign: JwsSign = async (data) => nodeSign('sha256', data, privateKey);
 * ```
 */
export type JwsSign = (signingInput: Uint8Array) => Uint8Array | Promise<Uint8Array>;

const encoder = new TextEncoder();

/**
 * A compact JWS of `payload` under the protected `header`, signed by `sign`. Built by hand rather
 * than with jose's `SignJWT` so that a key imported once signs directly (jose re-checks the key
 * and goes through WebCrypto's queue on every call).
 *
 * @example
 * ```ts
 * const jwt = await signCompactJws({ alg: 'ES256', typ: 'act+jwt', kid }, claims, key.sign);
 * ```
 */
export async function signCompactJws(
  header: Readonly<Record<string, unknown>>,
  payload: object,
  sign: JwsSign,
): Promise<string> {
  const signingInput = `${encodeBase64UrlText(JSON.stringify(header))}.${encodeBase64UrlText(JSON.stringify(payload))}`;
  const signature = await sign(encodeAsciiText(signingInput) ?? encoder.encode(signingInput));
  return `${signingInput}.${encodeBase64Url(signature)}`;
}
