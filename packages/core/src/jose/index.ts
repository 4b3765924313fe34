export {
  decodeBase64Url,
  decodeBase64UrlText,
  decodeStrictAsciiBase64Url,
  decodeStrictBase64Url,
  decodeStrictBase64UrlPortably,
  decodeUtf8,
  encodeAsciiText,
  encodeBase64Url,
  encodeBase64UrlText,
  isBase64Url,
} from './base64url.ts';
export type { JsonObject, ParsedJws, VerifiedJws } from './compact-jws.ts';
export { parseCompactJws, verifyCompactJws, verifyParsedJws } from './compact-jws.ts';
export type { UnverifiedJws } from './decode-unverified-jws.ts';
export { decodeUnverifiedJws } from './decode-unverified-jws.ts';
export type { HmacAlgorithm, HmacKeyOptions } from './hmac-signing-key.ts';
export { importHmacSigningKey } from './hmac-signing-key.ts';
export type { JoseFailure, JoseFailureReason } from './jose-failure.ts';
export { joseFailure } from './jose-failure.ts';
export { jwkThumbprint } from './jwk-thumbprint.ts';
export type { JwsAlgorithm } from './jws-algorithm.ts';
export { isJwsAlgorithm, SUPPORTED_JWS_ALGORITHMS } from './jws-algorithm.ts';
export type { KeySelection, KeySource } from './key-source.ts';
export { createStaticKeySource, pickKeys, StaticKeyError, staticKeySource } from './key-source.ts';
export { nodeCrypto } from './node-crypto.ts';
export { decodePem, subjectPublicKeyInfoOf } from './pem.ts';
export type { RegisteredClaimRules } from './registered-claims.ts';
export { checkRegisteredClaims } from './registered-claims.ts';
export type { JwksOptions, RemoteKeySourceOptions } from './remote-key-source.ts';
export { createRemoteKeySource } from './remote-key-source.ts';
export type { JwsSign } from './sign-compact-jws.ts';
export { signCompactJws } from './sign-compact-jws.ts';
export type { PrivateKeyInput, SigningKey, SigningKeyFailure, SigningKeyProblem } from './signing-key.ts';
export { importSigningKey, isSigningKeyFailure } from './signing-key.ts';
export type { KeyImportFailure, KeyProblem, PublicKeyInput, VerificationKey } from './verification-key.ts';
export { importVerificationKey, isKeyImportFailure } from './verification-key.ts';
export type { WebCryptoAlgorithm } from './web-crypto-algorithms.ts';
export { webCryptoAlgorithms } from './web-crypto-algorithms.ts';
