// The application's side of the out-of-session hop alone: HybridSender.prepareOutOfSessionAct
// (node:crypto signing with the key imported once) against jose's SignJWT building the same act JWT
// with the same key. RS256, ES256 and EdDSA. Target: at least as fast as jose.
import { generateKeyPairSync } from 'node:crypto';
import { HybridSender } from '@dual-auth/sender';
import { importPKCS8, SignJWT } from 'jose';
import { compare } from '../measure.ts';

const appId = 'https://app.example.com';
const agentEndpoint = 'https://agent.example.com/invoke';
const act = { sub: 'f1d2c3b4-0000-4000-8000-00000000a11c', email: 'alice@example.com', name: 'Alice Smith' };

const keyPairs = {
  RS256: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ES256: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  EdDSA: () => generateKeyPairSync('ed25519'),
} as const;

for (const [algorithm, generate] of Object.entries(keyPairs)) {
  const pem = generate().privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const sender = await HybridSender.create({ privateKey: pem, appId });
  const joseKey = await importPKCS8(pem, algorithm);
  const now = () => Math.floor(Date.now() / 1000);
  await compare({
    name: `sender.act-jwt-signing.${algorithm.toLowerCase()}`,
    ours: {
      name: 'HybridSender.prepareOutOfSessionAct',
      run: () => sender.prepareOutOfSessionAct(act, { agentEndpoint }),
    },
    reference: {
      name: 'jose SignJWT',
      run: () =>
        new SignJWT({
          act,
          delegation: { method: 'explicit', granted_at: now() },
          agbac_ver: '1.0',
        })
          .setProtectedHeader({ alg: algorithm, typ: 'act+jwt' })
          .setIssuer(appId)
          .setSubject(act.sub)
          .setAudience(agentEndpoint)
          .setIssuedAt()
          .setExpirationTime('60s')
          .setJti(crypto.randomUUID())
          .sign(joseKey),
    },
    target: 1,
  });
}
