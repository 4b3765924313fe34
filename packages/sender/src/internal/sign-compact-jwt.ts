import { base64url } from 'jose';
import type { SigningKey } from './load-signing-key.ts';

const encoder = new TextEncoder();

/**
 * A compact JWS of `claims` with the protected header `{ alg, typ, kid }`. Built by hand rather than
 * with jose's `SignJWT` so that the key imported once signs directly (jose would re-check the key
 * and go through WebCrypto's queue on every call).
 */
export async function signCompactJwt(key: SigningKey, type: string, claims: object): Promise<string> {
  const header = base64url.encode(JSON.stringify({ alg: key.algorithm, typ: type, kid: key.keyId }));
  const signingInput = `${header}.${base64url.encode(JSON.stringify(claims))}`;
  const signature = await key.sign(encoder.encode(signingInput));
  return `${signingInput}.${base64url.encode(signature)}`;
}
