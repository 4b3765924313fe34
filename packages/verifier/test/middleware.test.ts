import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditEvent } from '@dual-auth/core';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { type Context, type Handler, Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticHumanAuthorizer } from '../src/create-static-human-authorizer.ts';
import { createVerifier } from '../src/create-verifier.ts';
import { type ExpressRequestLike, requireDualAuth as expressAuth } from '../src/express.ts';
import { requireDualAuth as fastifyAuth } from '../src/fastify.ts';
import { type DualAuthVariables, requireDualAuth as honoAuth, withDualAuth } from '../src/hono.ts';
import { AGENT, delegation, HUMAN, human, mint, testKey } from './fixtures.ts';

const key = testKey('ES256', 'mw-1');
const ISSUER = 'https://127.0.0.1:8443/realms/acme';
const AUDIENCE = 'finance-api';
const now = () => Math.floor(Date.now() / 1000);
const token = (extra: Record<string, unknown> = {}) =>
  mint(key, {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'service-account-uuid',
    azp: AGENT,
    iat: now() - 5,
    exp: now() + 300,
    realm_access: { roles: ['finance.read'] },
    act: human,
    delegation: { ...delegation, granted_at: now() - 60 },
    agbac_ver: '1.0',
    ...extra,
  });

const humanAuthorizer = createStaticHumanAuthorizer({ [HUMAN]: { roles: ['finance'], agents: [AGENT] } });
const base = {
  issuer: ISSUER,
  audience: AUDIENCE,
  keys: [key.publicJwk],
  vendor: 'keycloak',
  layout: 'agbac',
} as const;
const verifier = createVerifier({ ...base, humanAuthorizer });
const requirements = { agentRoles: ['finance.read'] };
// Human roles come from a claim, and the `/unchecked` route requires none: no check applies.
const rolesClaimVerifier = createVerifier({ ...base, humanRolesClaim: 'roles' });
const UNCHECKED_REASON =
  'no human policy applies to this request (no humanAuthorizer, no required humanRoles, humanAuthorizedByIdp not set)';

interface Target {
  readonly name: string;
  start(): Promise<{ url: string; stop: () => Promise<void> }>;
}

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const targets: Target[] = [
  {
    name: 'express',
    async start() {
      const app = express();
      app.get('/reports', expressAuth(verifier, requirements, { realm: 'finance' }), (request, response) => {
        const decision = (
          request as { dualAuth?: { allow: boolean; human?: { id: string }; agent?: { id: string } } }
        ).dualAuth;
        response.json({ agent: decision?.agent?.id, human: decision?.human?.id });
      });
      app.get(
        '/unchecked',
        expressAuth(rolesClaimVerifier, requirements, { realm: 'finance' }),
        (_r, response) => {
          response.json({});
        },
      );
      const server = app.listen(0, '127.0.0.1');
      const url = await listen(server);
      return { url, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    },
  },
  {
    name: 'fastify',
    async start() {
      const app = Fastify();
      app.decorateRequest('dualAuth', null);
      app.get(
        '/reports',
        { preHandler: fastifyAuth(verifier, requirements, { realm: 'finance' }) },
        async (request) => {
          const decision = (
            request as unknown as { dualAuth: { allow: true; human: { id: string }; agent: { id: string } } }
          ).dualAuth;
          return { agent: decision.agent.id, human: decision.human.id };
        },
      );
      app.get(
        '/unchecked',
        { preHandler: fastifyAuth(rolesClaimVerifier, requirements, { realm: 'finance' }) },
        async () => ({}),
      );
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      return { url: url.replace('localhost', '127.0.0.1'), stop: () => app.close() };
    },
  },
  {
    name: 'hono',
    async start() {
      const app = new Hono<{ Variables: DualAuthVariables }>();
      app.get('/reports', honoAuth(verifier, requirements, { realm: 'finance' }), (c) =>
        c.json({ agent: c.var.dualAuth.agent.id, human: c.var.dualAuth.human.id }),
      );
      app.get('/unchecked', honoAuth(rolesClaimVerifier, requirements, { realm: 'finance' }), (c) =>
        c.json({}),
      );
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
      const url = await listen(server);
      return { url, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    },
  },
  {
    name: 'hono withDualAuth',
    async start() {
      const app = new Hono<{ Variables: DualAuthVariables }>();
      app.get(
        '/reports',
        withDualAuth(
          verifier,
          requirements,
          (c) => c.json({ agent: c.var.dualAuth.agent.id, human: c.var.dualAuth.human.id }),
          { realm: 'finance' },
        ),
      );
      app.get(
        '/unchecked',
        withDualAuth(rolesClaimVerifier, requirements, (c) => c.json({}), { realm: 'finance' }),
      );
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
      const url = await listen(server);
      return { url, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    },
  },
];

describe.each(targets)('$name middleware on a real server', (target) => {
  let url = '';
  let stop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ({ url, stop } = await target.start());
  });
  afterAll(() => stop());

  it('lets an authorized agent and human through and attaches the decision', async () => {
    const response = await fetch(`${url}/reports?q=1`, { headers: { authorization: `Bearer ${token()}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ agent: AGENT, human: HUMAN });
  });

  it('answers a missing token with 401 and a bare Bearer challenge', async () => {
    const response = await fetch(`${url}/reports`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="finance"');
    expect(await response.json()).toEqual({ error: 'token_invalid', error_description: 'no bearer token' });
  });

  it('answers an invalid token with 401 invalid_token', async () => {
    const response = await fetch(`${url}/reports`, {
      headers: { authorization: `Bearer ${token({ iss: 'https://evil.example' })}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="finance", error="invalid_token", error_description="access token issuer is not accepted"',
    );
  });

  it('answers an unauthorized agent with 403 insufficient_scope', async () => {
    const response = await fetch(`${url}/reports`, {
      headers: { authorization: `Bearer ${token({ realm_access: { roles: [] } })}` },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="finance", error="insufficient_scope"/,
    );
    expect(await response.json()).toEqual({
      error: 'agent_denied',
      error_description: 'the agent lacks role finance.read',
    });
  });

  it('answers a human no check applies to with 403 human_unchecked and an insufficient_scope challenge', async () => {
    const response = await fetch(`${url}/unchecked`, { headers: { authorization: `Bearer ${token()}` } });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer realm="finance", error="insufficient_scope", error_description="${UNCHECKED_REASON}"`,
    );
    expect(await response.json()).toEqual({ error: 'human_unchecked', error_description: UNCHECKED_REASON });
  });

  it('refuses a request that carries the Authorization header twice, even with one good token', async () => {
    // fetch joins repeated values into one; node:http sends a raw header list line by line.
    const status = await new Promise<number>((resolve, reject) => {
      const sent = httpRequest(
        `${url}/reports`,
        // A raw list replaces every header, Host included.
        {
          headers: [
            'host',
            new URL(url).host,
            'authorization',
            `Bearer ${token()}`,
            'authorization',
            `Bearer ${token()}`,
          ],
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      sent.on('error', reject);
      sent.end();
    });
    expect(status).toBe(401);
  });

  it('answers an invalid delegation with 403 delegation_invalid', async () => {
    const response = await fetch(`${url}/reports`, {
      headers: { authorization: `Bearer ${token({ delegation: undefined })}` },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: string }).error).toBe('delegation_invalid');
  });
});

describe('express middleware in a mounted router', () => {
  it('audits the path the client asked for (originalUrl without its query), not the mount-relative one', async () => {
    const events: AuditEvent[] = [];
    const audited = createVerifier({ ...base, humanAuthorizer, audit: (event) => void events.push(event) });
    const router = express.Router();
    router.get('/reports/:id', expressAuth(audited, requirements), (_request, response) => {
      response.json({ ok: true });
    });
    const app = express();
    app.use('/api/v1', router);
    const server = app.listen(0, '127.0.0.1');
    const url = await listen(server);
    try {
      const allowed = await fetch(`${url}/api/v1/reports/7?q=secret`, {
        headers: { authorization: `Bearer ${token()}` },
      });
      expect(allowed.status).toBe(200);
      const denied = await fetch(`${url}/api/v1/reports/8?q=secret`);
      expect(denied.status).toBe(401);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(events.map((event) => [event.decision, event.resource])).toEqual([
      ['allow', '/api/v1/reports/7'],
      ['deny', '/api/v1/reports/8'],
    ]);
  });
});

describe('middleware without a Node request at hand', () => {
  it('express: reads the header record when there is no rawHeaders, refusing a repeated header', async () => {
    const events: AuditEvent[] = [];
    const audited = createVerifier({ ...base, humanAuthorizer, audit: (event) => void events.push(event) });
    const middleware = expressAuth(audited, requirements);
    const run = (headers: Record<string, string | string[]>) =>
      new Promise<{ status: number; allowed: boolean }>((resolve) => {
        const request: ExpressRequestLike = {
          headers,
          method: 'GET',
          url: '/reports/9?q=secret',
        };
        let status = 200;
        middleware(
          request,
          {
            status: (code) => {
              status = code;
            },
            set: () => undefined,
            json: () => resolve({ status, allowed: false }),
          },
          () => resolve({ status, allowed: request.dualAuth !== undefined }),
        );
      });
    expect(await run({ authorization: `Bearer ${token()}`, 'x-request-id': 'req-42' })).toEqual({
      status: 200,
      allowed: true,
    });
    expect(await run({ authorization: [`Bearer ${token()}`, `Bearer ${token()}`] })).toEqual({
      status: 401,
      allowed: false,
    });
    expect(events.map((event) => [event.decision, event.resource, event.correlationId])).toEqual([
      ['allow', '/reports/9', 'req-42'],
      ['deny', '/reports/9', events[1]?.id],
    ]);
  });

  it('hono: reads the standard Request (edge runtimes) and audits its path and request id', async () => {
    const events: AuditEvent[] = [];
    const audited = createVerifier({ ...base, humanAuthorizer, audit: (event) => void events.push(event) });
    const app = new Hono<{ Variables: DualAuthVariables }>();
    app.get('/reports/:id', honoAuth(audited, requirements), (c) =>
      c.json({ human: c.var.dualAuth.human.id }),
    );
    const response = await app.request('/reports/3?q=secret', {
      headers: { authorization: `Bearer ${token()}`, 'x-request-id': 'req-7' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ human: HUMAN });
    expect(
      events.map((event) => [event.decision, event.action, event.resource, event.correlationId]),
    ).toEqual([['allow', 'GET', '/reports/3', 'req-7']]);
  });
});

describe("hono: what the route handler does is Hono's to judge", () => {
  const signed = () => ({ headers: { authorization: `Bearer ${token()}` } });
  const onError = (error: Error, c: Context) => c.text(`onError: ${error.message}`, 500);

  it('requireDualAuth: a handler that answers nothing still reaches onError with "Context is not finalized"', async () => {
    // Hono's compose (hono/dist/compose.js) stores what a middleware resolves to as the response
    // while the context is not finalized, and `next()` resolves to the context itself: a middleware
    // that returned `next()` would make the context the response. Ours resolves to nothing.
    const app = new Hono<{ Variables: DualAuthVariables }>();
    app.onError(onError);
    app.get('/reports', honoAuth(verifier, requirements), (() => undefined) as unknown as Handler);
    const response = await app.request('/reports', signed());
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/^onError: Context is not finalized/);
  });

  it("withDualAuth: the handler's errors, thrown or rejected, reach onError; an allowed sync route answers without a promise", async () => {
    const app = new Hono<{ Variables: DualAuthVariables }>();
    app.onError(onError);
    app.get(
      '/throws',
      withDualAuth(verifier, requirements, () => {
        throw new Error('thrown');
      }),
    );
    app.get(
      '/rejects',
      withDualAuth(verifier, requirements, async () => {
        throw new Error('rejected');
      }),
    );
    app.get(
      '/reports',
      withDualAuth(verifier, requirements, (c) => c.text(c.var.dualAuth.human.id)),
    );
    for (const [path, text] of [
      ['/throws', 'onError: thrown'],
      ['/rejects', 'onError: rejected'],
    ] as const) {
      const response = await app.request(path, signed());
      expect([response.status, await response.text()]).toEqual([500, text]);
    }
    // The verifier caches the token's verification: the second request is decided at once, and a
    // one-handler route whose handler answers at once is answered by Hono without a promise.
    const authorization = `Bearer ${token()}`;
    await app.request('/reports', { headers: { authorization } });
    const immediate = app.fetch(new Request('http://127.0.0.1/reports', { headers: { authorization } }));
    expect(immediate).toBeInstanceOf(Response);
    expect(await (immediate as Response).text()).toBe(HUMAN);
  });

  it('withDualAuth: reads the standard Request (edge runtimes), audits it and denies without calling the handler', async () => {
    const events: AuditEvent[] = [];
    const audited = createVerifier({ ...base, humanAuthorizer, audit: (event) => void events.push(event) });
    let called = 0;
    const app = new Hono<{ Variables: DualAuthVariables }>();
    app.get(
      '/reports/:id',
      withDualAuth(audited, requirements, (c) => {
        called++;
        return c.json({ human: c.var.dualAuth.human.id, id: c.req.param('id') });
      }),
    );
    const allowed = await app.request('/reports/3?q=secret', {
      headers: { authorization: `Bearer ${token()}`, 'x-request-id': 'req-7' },
    });
    expect(await allowed.json()).toEqual({ human: HUMAN, id: '3' });
    const denied = await app.request('/reports/4', {
      headers: { authorization: `Bearer ${token({ realm_access: { roles: [] } })}` },
    });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_scope"/);
    expect(called).toBe(1);
    expect(events.map((event) => [event.decision, event.resource, event.correlationId])).toEqual([
      ['allow', '/reports/3', 'req-7'],
      ['deny', '/reports/4', events[1]?.id],
    ]);
  });
});

describe('middleware: 503 when no signing key can be had', () => {
  it('answers idp_unavailable with 503 and Retry-After', async () => {
    const offline = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri: 'https://127.0.0.1:9/jwks',
      vendor: 'keycloak',
      layout: 'agbac',
      humanAuthorizer,
      jwks: { timeoutSeconds: 0.5 },
    });
    const app = new Hono();
    app.get('/reports', honoAuth(offline), (c) => c.text('ok'));
    app.get(
      '/wrapped',
      withDualAuth(offline, {}, (c) => c.text('ok')),
    );
    for (const path of ['/reports', '/wrapped']) {
      const response = await app.request(path, { headers: { authorization: `Bearer ${token()}` } });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(((await response.json()) as { error: string }).error).toBe('idp_unavailable');
    }
  });
});
