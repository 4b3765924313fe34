// Targets 1 and 2 (bench/README.md): the verifier's full decision (signature + claims + layout
// normalization + agent AND human AND delegation policy + audit event to a no-op sink), uncached
// against raw node:crypto.verify, fast-jwt and jose; and with the verified-token cache against
// fast-jwt's cached verifier. Same RS256 key and token for every contender.
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { createVerifier } from '@dual-auth/verifier';
import { createVerifier as createFastJwtVerifier } from 'fast-jwt';
import { jwtVerify } from 'jose';
import jsonwebtoken from 'jsonwebtoken';
import { allocatedBytesPerCall, compare } from '../measure.ts';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicKey = createPublicKey(privateKey);
const publicPem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'bench-1', alg: 'RS256', use: 'sig' };

const now = Math.floor(Date.now() / 1000);
const issuer = 'https://127.0.0.1:8443/realms/acme';
const audience = 'finance-api';
// A Keycloak access token in the AGBAC layout, as the project's mapper issues it.
const payload = {
  exp: now + 3600,
  iat: now - 5,
  jti: 'b6b1c8a2-4c4e-4ad7-9d0c-2f2e9c1f5a10',
  iss: issuer,
  aud: [audience, 'account'],
  sub: '6c0a9f1e-2d5b-4a8e-9f0e-3b7c1d2e4f5a',
  typ: 'Bearer',
  azp: 'finance-agent',
  preferred_username: 'service-account-finance-agent',
  client_id: 'finance-agent',
  realm_access: { roles: ['finance.read', 'offline_access', 'uma_authorization'] },
  resource_access: { account: { roles: ['manage-account', 'view-profile'] } },
  scope: 'profile email',
  act: { sub: 'f1d2c3b4-0000-4000-8000-00000000a11c', email: 'alice@example.com', name: 'Alice Smith' },
  delegation: { method: 'explicit', granted_at: now - 60, intent_summary: 'Summarise Q4 finance report' },
  agbac_ver: '1.0',
};
const header = { alg: 'RS256', typ: 'JWT', kid: 'bench-1' };
const signingInput = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
const signature = sign('sha256', Buffer.from(signingInput), privateKey);
const token = `${signingInput}.${signature.toString('base64url')}`;
const request = { authorization: `Bearer ${token}`, method: 'GET', path: '/reports/q4' };
const requirements = { agentRoles: ['finance.read'] };

const common = {
  issuer,
  audience,
  keys: { keys: [jwk] },
  vendor: 'keycloak',
  layout: 'agbac',
  // The mapper refuses unapproved humans at issuance, so the API trusts the IdP on the human: the
  // decision measured is the token's, as the JWT libraries it is compared with make it.
  humanAuthorizedByIdp: true,
  audit: () => {},
} as const;
const uncached = createVerifier({ ...common, cache: false });
const cached = createVerifier(common);
for (const verifier of [uncached, cached]) {
  const decision = await verifier.verify(request, requirements);
  if (!decision.allow) throw new Error(`benchmark token refused: ${decision.reason}`);
}

const rawVerify = () => {
  const dot = token.lastIndexOf('.');
  if (
    !verify(
      'sha256',
      Buffer.from(token.slice(0, dot)),
      publicKey,
      Buffer.from(token.slice(dot + 1), 'base64url'),
    )
  ) {
    throw new Error('raw verify failed');
  }
};
const fastJwt = createFastJwtVerifier({
  key: publicPem,
  algorithms: ['RS256'],
  allowedIss: issuer,
  allowedAud: audience,
});
const fastJwtCached = createFastJwtVerifier({
  key: publicPem,
  algorithms: ['RS256'],
  allowedIss: issuer,
  allowedAud: audience,
  cache: true,
});

const ours = { name: '@dual-auth/verifier full decision', run: () => uncached.verify(request, requirements) };
await compare({
  name: 'verifier.full-decision.rs256.vs-node-crypto',
  ours,
  reference: { name: 'node:crypto.verify (raw)', run: rawVerify },
  target: 0.75,
});
await compare({
  name: 'verifier.full-decision.rs256.vs-fast-jwt',
  ours,
  reference: { name: 'fast-jwt createVerifier', run: () => fastJwt(token) },
  target: 1.5,
});
await compare({
  name: 'verifier.full-decision.rs256.vs-jsonwebtoken',
  ours,
  reference: {
    name: 'jsonwebtoken verify',
    run: () => jsonwebtoken.verify(token, publicPem, { algorithms: ['RS256'], issuer, audience }),
  },
  target: 1.5,
});
await compare({
  name: 'verifier.full-decision.rs256.vs-jose',
  ours,
  reference: {
    name: 'jose jwtVerify',
    run: () => jwtVerify(token, publicKey, { algorithms: ['RS256'], issuer, audience }),
  },
  // PERFORMANCE.md target 1: ≥ 0.75 × raw verify "also means ≥ 3× jose"; the earlier 5× rested on a
  // jose baseline measured too low.
  target: 3,
  roundMs: 300,
});
await compare({
  name: 'verifier.cached-decision.rs256.vs-fast-jwt-cache',
  ours: { name: '@dual-auth/verifier cached decision', run: () => cached.verify(request, requirements) },
  reference: { name: 'fast-jwt createVerifier (cache)', run: () => fastJwtCached(token) },
  target: 1.2,
});

// Garbage per decision, printed for the record (no target): on a busy API it also slows the
// signature checks that follow it. With the keys at hand verify() decides before it returns, so
// the loop needs no await; the promise it returns is counted.
const allocated = allocatedBytesPerCall(() => uncached.verify(request, requirements));
const allocatedRaw = allocatedBytesPerCall(rawVerify);
process.stdout.write(
  `verifier.full-decision.rs256: ${Math.round(allocated)} bytes of JS heap per decision (raw node:crypto.verify: ${Math.round(allocatedRaw)})\n`,
);
