// Target 5 (bench/README.md): a minimal route behind the verifier middleware (token reused) serves at
// least 0.85 × the requests/s of the same route without it, for Express, Fastify and Hono. Each
// framework's server runs in its own child process (so the load generator does not share its
// thread); autocannon loads `/plain` and `/guarded` on loopback in alternating rounds.
import { fork } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, type JsonWebKey, sign } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createVerifier } from '@dual-auth/verifier';
import { requireDualAuth as expressAuth } from '@dual-auth/verifier/express';
import { requireDualAuth as fastifyAuth } from '@dual-auth/verifier/fastify';
import { requireDualAuth as honoAuth } from '@dual-auth/verifier/hono';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { median, printBenchLine } from '../measure.ts';

type Framework = 'express' | 'fastify' | 'hono';
const issuer = 'https://127.0.0.1:8443/realms/acme';
const audience = 'finance-api';

async function serveFramework(framework: Framework, jwk: JsonWebKey): Promise<void> {
  // A Keycloak token from the act mapper, which refuses unapproved humans: the IdP checked the human.
  const verifier = createVerifier({
    issuer,
    audience,
    keys: [jwk],
    vendor: 'keycloak',
    layout: 'agbac',
    humanAuthorizedByIdp: true,
  });
  const requirements = { agentRoles: ['finance.read'] };
  let port: number;
  if (framework === 'express') {
    const app = express();
    app.get('/plain', (_request, response) => void response.json({ ok: true }));
    app.get(
      '/guarded',
      expressAuth(verifier, requirements),
      (_request, response) => void response.json({ ok: true }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  } else if (framework === 'fastify') {
    const app = Fastify();
    app.decorateRequest('dualAuth', null);
    app.get('/plain', async () => ({ ok: true }));
    app.get('/guarded', { preHandler: fastifyAuth(verifier, requirements) }, async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  } else {
    const app = new Hono();
    app.get('/plain', (c) => c.json({ ok: true }));
    app.get('/guarded', honoAuth(verifier, requirements), (c) => c.json({ ok: true }));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  }
  process.send?.({ port });
}

function load(url: string, authorization: string, durationSeconds: number): Promise<number> {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, connections: 16, duration: durationSeconds, headers: { authorization } },
      (error, result) => {
        if (error) reject(error);
        else if (result.non2xx > 0 || result.errors > 0)
          reject(new Error(`${url}: ${result.non2xx} non-2xx answers`));
        else resolve(result.requests.average);
      },
    );
  });
}

async function measure(framework: Framework, token: string, jwk: JsonWebKey): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', framework, JSON.stringify(jwk)], {
    execArgv: ['--conditions=dev-source'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (message) => resolve((message as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`${framework} server exited with ${code}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const authorization = `Bearer ${token}`;
    await load(`${base}/plain`, authorization, 1);
    await load(`${base}/guarded`, authorization, 1);
    const plain: number[] = [];
    const guarded: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < 5; round++) {
      // Alternate who goes first, so drift in machine load does not favour one side.
      const guardedFirst = round % 2 === 0;
      const a = await load(`${base}/${guardedFirst ? 'guarded' : 'plain'}`, authorization, 2);
      const b = await load(`${base}/${guardedFirst ? 'plain' : 'guarded'}`, authorization, 2);
      const [withMiddleware, without] = guardedFirst ? [a, b] : [b, a];
      guarded.push(withMiddleware);
      plain.push(without);
      ratios.push(withMiddleware / without);
    }
    const ratio = median(ratios);
    const format = (values: number[]) =>
      `${Math.round(median(values)).toLocaleString('en-US')} req/s (min ${Math.round(Math.min(...values))}, max ${Math.round(Math.max(...values))})`;
    process.stdout.write(
      `verifier.http.${framework}\n  with middleware: ${format(guarded)}\n  without: ${format(plain)}\n` +
        `  ratio ${ratio.toFixed(2)} (target ≥ 0.85) ${ratio >= 0.85 ? 'met' : 'NOT met'}\n`,
    );
    printBenchLine({
      name: `verifier.http.${framework}.middleware-overhead`,
      value: median(guarded),
      unit: 'req/s',
      reference: `same ${framework} route without the middleware`,
      ratio,
      target: 0.85,
      met: ratio >= 0.85,
    });
  } finally {
    child.kill();
  }
}

if (process.argv[2] === '--serve') {
  await serveFramework(process.argv[3] as Framework, JSON.parse(process.argv[4] ?? '{}') as JsonWebKey);
} else {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...createPublicKey(privateKey).export({ format: 'jwk' }), kid: 'http-1' };
  const now = Math.floor(Date.now() / 1000);
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'http-1' })).toString(
    'base64url',
  );
  const payload = Buffer.from(
    JSON.stringify({
      iss: issuer,
      aud: audience,
      sub: 'service-account-uuid',
      azp: 'finance-agent',
      typ: 'Bearer',
      iat: now,
      exp: now + 3600,
      realm_access: { roles: ['finance.read'] },
      act: { sub: 'f1d2c3b4-0000-4000-8000-00000000a11c' },
      delegation: { method: 'explicit', granted_at: now - 60 },
      agbac_ver: '1.0',
    }),
  ).toString('base64url');
  const token = `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
  for (const framework of ['express', 'fastify', 'hono'] as const) await measure(framework, token, jwk);
}
