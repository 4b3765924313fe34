// Signs/s of HybridSender.prepareOutOfSessionAct per algorithm, beside jose's SignJWT and raw
// node:crypto.sign on the same key and a payload of the same size. Run from the repository root:
//   node --conditions=dev-source packages/sender/test/measure-signing.ts
import { generateKeyPairSync, sign } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { HybridSender } from '../src/index.ts';

const durationMs = 1500;
const rounds = 5;
const act = { sub: 'f1234567-89ab-cdef-0123-456789abcdef', email: 'alice@example.com', name: 'Alice Smith' };
const agentEndpoint = 'https://agent.example.com/invoke';

async function rate(run: () => unknown): Promise<number> {
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    await run();
    count++;
  }
  return Math.round((count * 1000) / (performance.now() - start));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const keys = {
  RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
  EdDSA: generateKeyPairSync('ed25519').privateKey,
};

for (const [algorithm, privateKey] of Object.entries(keys)) {
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const sender = await HybridSender.create({ privateKey: pem, appId: 'https://app.example.com' });
  const joseKey = await importPKCS8(pem, algorithm);
  const sample = await sender.prepareOutOfSessionAct(act, { agentEndpoint });
  const signingInput = Buffer.from(sample.slice(0, sample.lastIndexOf('.')));
  const hash = algorithm === 'EdDSA' ? null : 'sha256';
  const results: Record<string, number[]> = { sender: [], jose: [], raw: [] };
  for (let round = 0; round < rounds; round++) {
    results.sender?.push(await rate(() => sender.prepareOutOfSessionAct(act, { agentEndpoint })));
    results.jose?.push(
      await rate(() =>
        new SignJWT({ act })
          .setProtectedHeader({ alg: algorithm, typ: 'act+jwt', kid: 'k' })
          .setIssuer('https://app.example.com')
          .setAudience(agentEndpoint)
          .setIssuedAt()
          .setExpirationTime('60s')
          .setJti(crypto.randomUUID())
          .sign(joseKey),
      ),
    );
    results.raw?.push(
      await rate(() => sign(hash, signingInput, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
    );
  }
  const [ours, jose, raw] = [
    median(results.sender ?? []),
    median(results.jose ?? []),
    median(results.raw ?? []),
  ];
  process.stdout.write(
    `${algorithm}: sender ${ours}/s, jose SignJWT ${jose}/s, raw node:crypto.sign ${raw}/s ` +
      `(sender/jose ${(ours / jose).toFixed(2)}, sender/raw ${(ours / raw).toFixed(2)}; median of ${rounds})\n`,
  );
}
