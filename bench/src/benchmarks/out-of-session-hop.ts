// Target 4 (bench/README.md): the out-of-session hop. The application signs an act JWT
// (HybridSender.prepareOutOfSessionAct) and the agent verifies it and records its jti
// (OutOfSessionTokenRequest.receiveAndVerifyActJwt with the in-memory replay store), against raw
// node:crypto sign + verify of a header and payload of the same size. RS256, ES256 and EdDSA.
import { generateKeyPairSync, type KeyObject, randomUUID, sign, verify } from 'node:crypto';
import { createMemoryReplayStore, OutOfSessionTokenRequest } from '@dual-auth/client';
import { ACT_JWT_TYPE, AGBAC_VERSION, type IdpAdapter } from '@dual-auth/core';
import { HybridSender } from '@dual-auth/sender';
import { compare } from '../measure.ts';

const issuer = 'https://app.example.com';
const audience = 'https://agent.example.com/invoke';
const adapter: IdpAdapter = {
  vendor: 'keycloak',
  tokenEndpoint: 'https://127.0.0.1/token',
  audience: undefined,
  mode: 'agbac',
  requestToken: () => Promise.reject(new Error('not used by this benchmark')),
};

function claims() {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: issuer,
    sub: 'f1d2c3b4-0000-4000-8000-00000000a11c',
    aud: audience,
    iat: now,
    exp: now + 60,
    jti: randomUUID(),
    act: { sub: 'f1d2c3b4-0000-4000-8000-00000000a11c', email: 'alice@example.com', name: 'Alice Smith' },
    delegation: { method: 'explicit', granted_at: now, intent_summary: 'Summarise Q4 finance report' },
    agbac_ver: AGBAC_VERSION,
  };
}

const algorithms = [
  { alg: 'RS256', pair: () => generateKeyPairSync('rsa', { modulusLength: 2048 }), digest: 'sha256' },
  { alg: 'ES256', pair: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }), digest: 'sha256' },
  { alg: 'EdDSA', pair: () => generateKeyPairSync('ed25519'), digest: null },
] as const;

for (const { alg, pair, digest } of algorithms) {
  const { privateKey, publicKey } = pair() as { privateKey: KeyObject; publicKey: KeyObject };
  const sender = await HybridSender.create({
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    appId: issuer,
  });
  const act = claims().act;
  const tokenRequest = new OutOfSessionTokenRequest({
    adapter,
    keys: publicKey,
    issuer,
    audience,
    replayStore: createMemoryReplayStore({ maxEntries: 5_000_000 }),
  });
  const dsa = alg === 'ES256' ? { dsaEncoding: 'ieee-p1363' as const } : {};

  const header = Buffer.from(JSON.stringify({ alg, typ: ACT_JWT_TYPE })).toString('base64url');
  const signingInput = Buffer.from(
    `${header}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}`,
  );

  const hop = async () => {
    const actJwt = await sender.prepareOutOfSessionAct(act, { agentEndpoint: audience });
    await tokenRequest.receiveAndVerifyActJwt(actJwt);
  };
  await hop();

  await compare({
    name: `client.out-of-session-hop.${alg.toLowerCase()}`,
    ours: { name: 'prepareOutOfSessionAct + receiveAndVerifyActJwt', run: hop },
    reference: {
      name: 'node:crypto sign + verify',
      run: () => {
        const signature = sign(digest, signingInput, { key: privateKey, ...dsa });
        if (!verify(digest, signingInput, { key: publicKey, ...dsa }, signature))
          throw new Error('bad signature');
      },
    },
    target: 0.5,
  });
}
