import { encodeBase64Url } from './base64url.ts';

const requiredMembers: Readonly<Record<string, readonly string[]>> = {
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
};

/**
 * The RFC 7638 SHA-256 thumbprint of a public JWK (base64url), the usual `kid` of a generated key.
 *
 * @example
 * ```ts
 * const kid = await jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x });
 * ```
 * @throws {TypeError} for a key type other than RSA, EC or OKP, or a missing member.
 */
export async function jwkThumbprint(jwk: Readonly<Record<string, unknown>>): Promise<string> {
  const names = requiredMembers[String(jwk.kty)];
  if (names === undefined) throw new TypeError('the JWK must be of type RSA, EC or OKP');
  // RFC 7638 §3: the required members only, in lexicographic order, no whitespace.
  const members: Record<string, string> = {};
  for (const name of names) {
    const value = jwk[name];
    if (typeof value !== 'string') throw new TypeError(`the JWK lacks its ${name} member`);
    members[name] = value;
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(members)));
  return encodeBase64Url(new Uint8Array(digest));
}
