import { createPrivateKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Act } from '@dual-auth/core';
import { SignJWT } from 'jose';

function algorithmOf(privateKeyPem: string): string {
  const key = createPrivateKey(privateKeyPem);
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'ec':
      return key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'ES384' : 'ES256';
    case 'ed25519':
      return 'EdDSA';
    default:
      throw new TypeError('unsupported application key type');
  }
}

/**
 * Signs an act JWT exactly as the Python reference's `HybridSender.prepare_out_of_session_act` does:
 * header `{alg, typ: "JWT"}` (RS256 with the seed's RSA key), claims `iss` = `APP_ID`, `sub` =
 * `act.sub`, `aud` = the agent endpoint, `iat`, `exp` = `iat + ttl`, `jti`, `act` — no `delegation`,
 * no `agbac_ver`. For trying a mixed Python/TypeScript deployment against the TypeScript agent.
 */
export async function signPythonActJwt(params: {
  readonly privateKeyPath: string;
  readonly appId: string;
  readonly agentEndpoint: string;
  readonly act: Act;
  readonly ttlSeconds?: number;
}): Promise<string> {
  const pem = readFileSync(params.privateKeyPath, 'utf8');
  const alg = algorithmOf(pem);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ act: { ...params.act } })
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setIssuer(params.appId)
    .setSubject(params.act.sub)
    .setAudience(params.agentEndpoint)
    .setIssuedAt(now)
    .setExpirationTime(now + (params.ttlSeconds ?? 60))
    .setJti(randomUUID())
    .sign(createPrivateKey(pem));
}
