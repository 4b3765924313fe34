import type { KeyObject } from 'node:crypto';
import { ConfigurationError } from '@dual-auth/core';
import { importSigningKey, isSigningKeyFailure, jwkThumbprint } from '@dual-auth/core/jose';
import type { CryptoKey, JWK } from 'jose';
import type { PublicJwk, SenderCryptoKeyPair, SenderKey, SigningAlgorithm } from '../sender-key.ts';

/** Largest key text accepted: an RSA-8192 PEM is about 6.5 KB; anything near this limit is not a key. */
export const MAXIMUM_KEY_TEXT_LENGTH = 64 * 1024;

const MINIMUM_RSA_BITS = 2048;

/** The parts of `node:crypto` the fast signing path and PEM parsing use. */
export type NodeCrypto = Pick<
  typeof import('node:crypto'),
  'createPrivateKey' | 'createPublicKey' | 'sign' | 'KeyObject'
>;

/** A public key of the application's JWKS. */
export interface VerificationKey {
  readonly algorithm: SigningAlgorithm;
  readonly keyId: string;
  readonly publicJwk: PublicJwk;
}

/** The application's signing key, imported once; `sign` returns a JWS signature (raw r‖s for ECDSA). */
export interface SigningKey extends VerificationKey {
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** Where a key came from, for error messages: the setting or option name, never the content. */
export interface KeyContext {
  readonly setting: string;
  readonly keyId?: string | undefined;
  readonly nodeCrypto: NodeCrypto | undefined;
}

type PublicMembers = Readonly<Record<string, unknown>>;

interface ImportedPrivateKey {
  readonly algorithm: SigningAlgorithm;
  readonly publicMembers: PublicMembers;
  readonly declaredKeyId: string | undefined;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

const publicMemberNames: Readonly<Record<PublicJwk['kty'], readonly string[]>> = {
  RSA: ['n', 'e'],
  EC: ['crv', 'x', 'y'],
  OKP: ['crv', 'x'],
};

/** Imports the application's private key once, for every signature to come. */
export async function loadSigningKey(input: SenderKey, context: KeyContext): Promise<SigningKey> {
  const imported = await importPrivateKey(input, context);
  return {
    ...(await describePublicKey(imported.algorithm, imported.publicMembers, context, imported.declaredKeyId)),
    sign: imported.sign,
  };
}

/** Imports a verification-only key (public, or private of which only the public half is kept). */
export async function loadVerificationKey(input: SenderKey, context: KeyContext): Promise<VerificationKey> {
  const { nodeCrypto } = context;
  if (typeof input === 'string' && !/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(input)) {
    const text = checkKeyText(input, context);
    if (text.startsWith('{')) return loadVerificationKey(parseJwkText(text, context), context);
    const node = requireNodeCrypto(context);
    const publicKey = attempt(() => node.createPublicKey(text), context);
    return describeKeyObject(publicKey, context, undefined);
  }
  if (isJwk(input) && !('d' in input)) {
    if (nodeCrypto === undefined) {
      const algorithm = algorithmOfJwk(input, context);
      return describePublicKey(algorithm, pickPublicMembers(input), context, declaredKeyId(input));
    }
    const publicKey = attempt(
      () => nodeCrypto.createPublicKey({ key: input as never, format: 'jwk' }),
      context,
    );
    return describeKeyObject(publicKey, context, declaredKeyId(input));
  }
  if (isCryptoKey(input) && input.type === 'public') {
    if (!input.extractable) throw keyError(context, 'is a CryptoKey that is not extractable');
    const jwk = (await crypto.subtle.exportKey('jwk', input)) as JWK;
    return describePublicKey(
      algorithmOfCryptoKey(input, context),
      pickPublicMembers(jwk),
      context,
      undefined,
    );
  }
  const imported = await importPrivateKey(input, context);
  return describePublicKey(imported.algorithm, imported.publicMembers, context, imported.declaredKeyId);
}

async function importPrivateKey(input: SenderKey, context: KeyContext): Promise<ImportedPrivateKey> {
  if (typeof input === 'string') return importPrivateKeyText(input, context);
  if (isCryptoKey(input)) return importCryptoKey(input, undefined, context);
  if (isCryptoKeyPair(input)) return importCryptoKey(input.privateKey, input.publicKey, context);
  if (isJwk(input)) return importPrivateJwk(input, context);
  throw keyError(context, 'is not a PEM text, JWK, CryptoKey or CryptoKeyPair');
}

async function importPrivateKeyText(input: string, context: KeyContext): Promise<ImportedPrivateKey> {
  const text = checkKeyText(input, context);
  if (text.startsWith('{')) return importPrivateJwk(parseJwkText(text, context), context);
  if (/-----BEGIN [A-Z0-9 ]*ENCRYPTED|Proc-Type:\s*4\s*,\s*ENCRYPTED/.test(text)) {
    throw keyError(
      context,
      'is an encrypted private key, which the sender cannot use: decrypt it (openssl pkey -in encrypted.pem -out key.pem), restrict the file to its owner (chmod 600) or keep it in a secrets backend',
    );
  }
  if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) {
    if (/-----BEGIN [A-Z0-9 ]*(PUBLIC KEY|CERTIFICATE)-----/.test(text)) {
      throw keyError(context, 'is a public key or certificate; the application signs with its private key');
    }
    throw keyError(context, 'is not a PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC) or a JWK');
  }
  const node = requireNodeCrypto(context);
  // createPrivateKey reads PKCS#8, PKCS#1 and SEC1 alike; the KeyObject is kept for every signature.
  const privateKey = attempt(() => node.createPrivateKey(text), context);
  return importKeyObject(privateKey, node, context, undefined);
}

async function importPrivateJwk(jwk: JWK, context: KeyContext): Promise<ImportedPrivateKey> {
  if (!('d' in jwk) || typeof jwk.d !== 'string') {
    throw keyError(context, 'is a public JWK; the application signs with its private key');
  }
  const { nodeCrypto } = context;
  if (nodeCrypto !== undefined) {
    const privateKey = attempt(
      () => nodeCrypto.createPrivateKey({ key: jwk as never, format: 'jwk' }),
      context,
    );
    const imported = importKeyObject(privateKey, nodeCrypto, context, declaredKeyId(jwk));
    checkDeclaredAlgorithm(jwk, imported.algorithm, context);
    return imported;
  }
  const algorithm = algorithmOfJwk(jwk, context);
  checkDeclaredAlgorithm(jwk, algorithm, context);
  // The JOSE layer imports the key on WebCrypto (non-extractable, for signing only).
  const signingKey = await importSigningKey(jwk as never, algorithm, 'webcrypto');
  if (isSigningKeyFailure(signingKey)) throw keyError(context, `is not a valid ${algorithm} private JWK`);
  return {
    algorithm,
    publicMembers: pickPublicMembers(jwk),
    declaredKeyId: declaredKeyId(jwk),
    sign: async (data) => signingKey.sign(data),
  };
}

async function importCryptoKey(
  privateKey: CryptoKey,
  publicKey: CryptoKey | undefined,
  context: KeyContext,
): Promise<ImportedPrivateKey> {
  if (privateKey.type !== 'private') {
    throw keyError(context, 'is a public CryptoKey; the application signs with its private key');
  }
  if (!privateKey.usages.includes('sign')) throw keyError(context, "is a CryptoKey without the 'sign' usage");
  const algorithm = algorithmOfCryptoKey(privateKey, context);
  const { nodeCrypto } = context;
  if (nodeCrypto !== undefined && privateKey.extractable) {
    return importKeyObject(nodeCrypto.KeyObject.from(privateKey), nodeCrypto, context, undefined);
  }
  const sign = webCryptoSigner(privateKey, algorithm);
  if (publicKey === undefined) {
    if (!privateKey.extractable) {
      throw keyError(
        context,
        'is a CryptoKey that is not extractable: pass the CryptoKeyPair so the public key is known',
      );
    }
    const jwk = (await crypto.subtle.exportKey('jwk', privateKey)) as JWK;
    return { algorithm, publicMembers: pickPublicMembers(jwk), declaredKeyId: undefined, sign };
  }
  if (publicKey.type !== 'public' || algorithmOfCryptoKey(publicKey, context) !== algorithm) {
    throw keyError(context, 'is a CryptoKeyPair whose public key does not match its private key');
  }
  // A pair is only trusted when its halves belong together: one probe signature proves it.
  const probe = new TextEncoder().encode('dual-auth key pair probe');
  const matches = await crypto.subtle.verify(
    webCryptoParameters(algorithm),
    publicKey,
    (await sign(probe)) as Uint8Array<ArrayBuffer>,
    probe,
  );
  if (!matches) throw keyError(context, 'is a CryptoKeyPair whose public key does not match its private key');
  const jwk = (await crypto.subtle.exportKey('jwk', publicKey)) as JWK;
  return { algorithm, publicMembers: pickPublicMembers(jwk), declaredKeyId: undefined, sign };
}

function importKeyObject(
  privateKey: KeyObject,
  node: NodeCrypto,
  context: KeyContext,
  keyId: string | undefined,
): ImportedPrivateKey {
  const algorithm = algorithmOfKeyObject(privateKey, context);
  const hash = algorithm === 'EdDSA' ? null : algorithm === 'ES384' ? 'sha384' : 'sha256';
  const publicJwk = node.createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
  return {
    algorithm,
    publicMembers: pickPublicMembers(publicJwk),
    declaredKeyId: keyId,
    // Synchronous node:crypto signing is several times faster than WebCrypto's queued one.
    sign: async (data) => node.sign(hash, data, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
  };
}

async function describeKeyObject(
  publicKey: KeyObject,
  context: KeyContext,
  keyId: string | undefined,
): Promise<VerificationKey> {
  const algorithm = algorithmOfKeyObject(publicKey, context);
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  return describePublicKey(algorithm, pickPublicMembers(jwk), context, keyId);
}

async function describePublicKey(
  algorithm: SigningAlgorithm,
  publicMembers: PublicMembers,
  context: KeyContext,
  declaredId: string | undefined,
): Promise<VerificationKey> {
  const keyId = context.keyId ?? declaredId ?? (await jwkThumbprint(publicMembers));
  const publicJwk = Object.freeze({ ...publicMembers, kid: keyId, alg: algorithm, use: 'sig' }) as PublicJwk;
  return { algorithm, keyId, publicJwk };
}

function algorithmOfKeyObject(key: KeyObject, context: KeyContext): SigningAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return checkRsaBits(details.modulusLength ?? 0, context);
    case 'ec':
      if (details.namedCurve === 'prime256v1') return 'ES256';
      if (details.namedCurve === 'secp384r1') return 'ES384';
      throw keyError(context, 'is an EC key on a curve other than P-256 or P-384');
    case 'ed25519':
      return 'EdDSA';
    default:
      throw keyError(context, 'is not an RSA, EC (P-256, P-384) or Ed25519 key');
  }
}

function algorithmOfCryptoKey(key: CryptoKey, context: KeyContext): SigningAlgorithm {
  const algorithm = key.algorithm as {
    name: string;
    namedCurve?: string;
    modulusLength?: number;
    hash?: { name?: string };
  };
  if (algorithm.name === 'RSASSA-PKCS1-v1_5' && algorithm.hash?.name === 'SHA-256') {
    return checkRsaBits(algorithm.modulusLength ?? 0, context);
  }
  if (algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-256') return 'ES256';
  if (algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-384') return 'ES384';
  if (algorithm.name === 'Ed25519') return 'EdDSA';
  throw keyError(
    context,
    'is a CryptoKey that is not RSASSA-PKCS1-v1_5/SHA-256, ECDSA P-256/P-384 or Ed25519',
  );
}

function algorithmOfJwk(jwk: JWK, context: KeyContext): SigningAlgorithm {
  if (jwk.kty === 'RSA' && typeof jwk.n === 'string') {
    // n is the big-endian modulus in base64url: its bit length is about 6 bits per character.
    return checkRsaBits(Math.floor((jwk.n.replace(/^A+/, '').length * 6) / 8) * 8, context);
  }
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-384') return 'ES384';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  throw keyError(context, 'is not an RSA, EC (P-256, P-384) or Ed25519 JWK');
}

function checkRsaBits(bits: number, context: KeyContext): 'RS256' {
  if (bits < MINIMUM_RSA_BITS) {
    throw keyError(context, `is an RSA key shorter than ${MINIMUM_RSA_BITS} bits; generate a new one`);
  }
  return 'RS256';
}

function checkDeclaredAlgorithm(jwk: JWK, algorithm: SigningAlgorithm, context: KeyContext): void {
  if (jwk.alg !== undefined && jwk.alg !== algorithm) {
    throw keyError(
      context,
      `declares alg ${String(jwk.alg).slice(0, 16)}, but the sender signs ${algorithm} with it`,
    );
  }
}

function webCryptoParameters(algorithm: SigningAlgorithm): { name: string; hash?: string } {
  if (algorithm === 'RS256') return { name: 'RSASSA-PKCS1-v1_5' };
  if (algorithm === 'EdDSA') return { name: 'Ed25519' };
  return { name: 'ECDSA', hash: algorithm === 'ES384' ? 'SHA-384' : 'SHA-256' };
}

function webCryptoSigner(privateKey: CryptoKey, algorithm: SigningAlgorithm) {
  const parameters = webCryptoParameters(algorithm);
  return async (data: Uint8Array): Promise<Uint8Array> =>
    new Uint8Array(await crypto.subtle.sign(parameters, privateKey, data as Uint8Array<ArrayBuffer>));
}

function pickPublicMembers(jwk: JWK): PublicMembers {
  const kty = jwk.kty as PublicJwk['kty'];
  const names = publicMemberNames[kty] ?? [];
  const members: Record<string, unknown> = { kty };
  for (const name of names) {
    const value = (jwk as Record<string, unknown>)[name];
    if (typeof value === 'string') members[name] = value;
  }
  return members;
}

function declaredKeyId(jwk: JWK): string | undefined {
  return typeof jwk.kid === 'string' && /^[\x21-\x7e]{1,128}$/.test(jwk.kid) ? jwk.kid : undefined;
}

function checkKeyText(text: string, context: KeyContext): string {
  if (text.length > MAXIMUM_KEY_TEXT_LENGTH) {
    throw keyError(context, `is longer than ${MAXIMUM_KEY_TEXT_LENGTH} characters, which no key is`);
  }
  return text.trim();
}

function parseJwkText(text: string, context: KeyContext): JWK {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw keyError(context, 'starts like JSON but is not a JSON JWK');
  }
  if (!isJwk(parsed)) throw keyError(context, 'is JSON but not a JWK (no kty)');
  return parsed;
}

function requireNodeCrypto(context: KeyContext): NodeCrypto {
  if (context.nodeCrypto !== undefined) return context.nodeCrypto;
  throw keyError(context, 'is PEM text, which needs node:crypto; on this runtime pass a JWK or CryptoKey');
}

// node:crypto's parse errors carry no key material, but they are dropped anyway: the message is enough.
function attempt<T>(parse: () => T, context: KeyContext): T {
  try {
    return parse();
  } catch {
    throw keyError(context, 'could not be parsed as a key (PKCS#8, PKCS#1 RSA, SEC1 EC, SPKI or JWK)');
  }
}

function keyError(context: KeyContext, problem: string): ConfigurationError {
  return new ConfigurationError(`${context.setting} ${problem}.`, { setting: context.setting });
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return (
    typeof value === 'object' &&
    value !== null &&
    (Object.prototype.toString.call(value) === '[object CryptoKey]' ||
      (typeof globalThis.CryptoKey === 'function' && value instanceof globalThis.CryptoKey))
  );
}

function isCryptoKeyPair(value: unknown): value is SenderCryptoKeyPair {
  if (typeof value !== 'object' || value === null) return false;
  const pair = value as Partial<SenderCryptoKeyPair>;
  return isCryptoKey(pair.privateKey) && isCryptoKey(pair.publicKey);
}

function isJwk(value: unknown): value is JWK {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { kty?: unknown }).kty === 'string'
  );
}

/** Whether `value` has the shape of a key the sender takes, for argument checks at construction. */
export function isSenderKey(value: unknown): value is SenderKey {
  return typeof value === 'string' || isCryptoKey(value) || isCryptoKeyPair(value) || isJwk(value);
}
