import { createPrivateKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Act } from '@dual-auth/core';
import { SignJWT } from 'jose';

/** The issuer and subject of every act JWT the Python reference signs (hybrid_sender.py line 316). */
export const PYTHON_REFERENCE_ISSUER = 'application';

/**
 * Signs an act JWT as the Python reference dual-auth 1.0.1 does, so the demo shows a Python
 * application without needing Python. Its source, `dual_auth/session/hybrid_sender.py`
 * (`HybridSender.prepare_out_of_session_act`): lines 311-323 build `{iss: "application",
 * sub: "application", aud: agent_endpoint, exp: now + ttl_seconds, iat: now,
 * jti: secrets.token_urlsafe(32), act}` — `iss` and `sub` are literals, `APP_ID` is never read —
 * and line 327 signs it with PyJWT, RS256 only, header `{"alg": "RS256", "typ": "JWT"}`. The e2e
 * suite `apps/e2e/test/python-reference` checks this layout against the real package.
 */
export async function signPythonActJwt(params: {
  readonly privateKeyPath: string;
  readonly agentEndpoint: string;
  readonly act: Act;
  readonly ttlSeconds?: number;
}): Promise<string> {
  const key = createPrivateKey(readFileSync(params.privateKeyPath, 'utf8'));
  if (key.asymmetricKeyType !== 'rsa') throw new TypeError('the Python reference signs with an RSA key only');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ act: { ...params.act } })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(PYTHON_REFERENCE_ISSUER)
    .setSubject(PYTHON_REFERENCE_ISSUER)
    .setAudience(params.agentEndpoint)
    .setExpirationTime(now + (params.ttlSeconds ?? 60))
    .setIssuedAt(now)
    .setJti(randomBytes(32).toString('base64url'))
    .sign(key);
}
