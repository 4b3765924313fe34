// The --serve web app refuses what a hostile page could send it: a request under another host name
// (DNS rebinding: evil.example resolving to 127.0.0.1), a task POST that is not JSON (a cross-site
// form or text/plain fetch, which needs no CORS preflight) or without a signed-in session, and an
// OIDC callback that does not belong to the browser's sign-in. The agent service does not remember
// an endpoint whose set-up failed.
import { renameSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebApp, type WebApp } from '../src/serve-demo.ts';
import type { DemoStack } from '../src/start-demo-stack.ts';
import { SESSION_COOKIE } from '../src/web-sessions.ts';

let stack: DemoStack;
let web: WebApp;

beforeAll(async () => {
  web = await startWebApp(['keycloak'], { environment: {} });
  stack = web.stack;
}, 60_000);
afterAll(async () => {
  await web?.close();
});

/** One HTTP exchange with the web app, with the Host and headers given. */
function exchange(
  method: string,
  path: string,
  options: { host?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(path, web.url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method, headers: { host: options.host ?? url.host, ...options.headers } },
      (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body, headers: response.headers }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

describe('the --serve web app', () => {
  it('answers only requests addressed to 127.0.0.1:<its port>', async () => {
    const port = new URL(web.url).port;
    expect((await exchange('GET', '/')).status).toBe(200);
    expect((await exchange('GET', '/api/directory')).status).toBe(200);
    for (const host of [`evil.example:${port}`, `localhost:${port}`, '127.0.0.1:1', '127.0.0.1']) {
      const refused = await exchange('GET', '/api/directory', { host });
      expect(refused.status, host).toBe(421);
      expect(refused.body).not.toContain('humans');
    }
    const rebound = await exchange('POST', '/api/run', {
      host: `evil.example:${port}`,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(rebound.status).toBe(421);
  });

  it('takes a task only as application/json', async () => {
    const task = JSON.stringify({ vendor: 'keycloak', humanId: 'x', agentId: 'y', flow: 'in-session' });
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const refused = await exchange('POST', '/api/run', { headers: { 'content-type': type }, body: task });
      expect(refused.status, type).toBe(415);
    }
    expect((await exchange('POST', '/api/run', { body: task })).status).toBe(415);
    // JSON gets through to the session check: nobody is signed in, hence 401.
    const json = await exchange('POST', '/api/run', {
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: task,
    });
    expect(json.status).toBe(401);
  });

  it('signs in only through its own sign-in: state bound to the session cookie', async () => {
    // A callback without a sign-in started in this browser (login CSRF: someone else's code).
    const foreign = await exchange('GET', '/callback?code=stolen&state=guess');
    expect(foreign.status).toBe(400);
    expect(foreign.body).toContain('no sign-in was started');
    // A started sign-in: a random, HttpOnly, SameSite=Lax session id and a redirect to the IdP
    // with PKCE S256, state and nonce.
    const started = await exchange('GET', '/login?vendor=keycloak');
    expect(started.status).toBe(303);
    const location = new URL(String(started.headers.location));
    expect(location.href.startsWith(stack.idp.profile('keycloak').authorizationEndpoint)).toBe(true);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('redirect_uri')).toBe(`${web.url}/callback`);
    for (const name of ['state', 'nonce', 'code_challenge']) {
      expect(location.searchParams.get(name)?.length, name).toBeGreaterThanOrEqual(43);
    }
    const cookie = String(started.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]{43}; Path=/; HttpOnly; SameSite=Lax`));
    const sessionCookie = cookie.split(';')[0] ?? '';
    // The right cookie but a wrong state is refused, and the sign-in is spent.
    const wrongState = await exchange('GET', '/callback?code=x&state=wrong', {
      headers: { cookie: sessionCookie },
    });
    expect(wrongState.status).toBe(400);
    expect(wrongState.body).toContain('state does not match');
    const state = location.searchParams.get('state') ?? '';
    const replay = await exchange('GET', `/callback?code=x&state=${state}`, {
      headers: { cookie: sessionCookie },
    });
    expect(replay.body).toContain('no sign-in was started');
    expect((await exchange('GET', '/api/session', { headers: { cookie: sessionCookie } })).body).toBe(
      '{"signedIn":false}',
    );
  });
});

describe('the out-of-session agent service', () => {
  it('sets an endpoint up again after a failed attempt instead of failing forever', async () => {
    const invoke = () =>
      fetch(`${stack.agentService.baseUrl}/invoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ act_jwt: 'not-a-jwt' }),
      });
    const key = stack.shared.appPrivateKeyPath;
    // The application key is briefly missing: the endpoint cannot load its configuration.
    renameSync(key, `${key}.moved`);
    try {
      expect((await invoke()).status).toBe(500);
    } finally {
      renameSync(`${key}.moved`, key);
    }
    // Set up now: the act JWT itself is what gets refused.
    const retried = await invoke();
    expect(retried.status).not.toBe(500);
    expect(retried.status).toBeGreaterThanOrEqual(400);
  });
});
