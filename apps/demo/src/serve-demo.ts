import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isVendor, type Vendor } from '@dual-auth/core';
import type { TaskRequest } from './demo-application.ts';
import { FINANCE_TASKS, parseFinanceTask } from './finance-task.ts';
import { closeServer, listen } from './listen.ts';
import {
  createOidcLogin,
  LoginError,
  type OidcLogin,
  type PendingLogin,
  type SignedInHuman,
} from './oidc-login.ts';
import { pageHtml } from './page-html.ts';
import type { DemoArguments } from './parse-arguments.ts';
import { isJsonRequest, readJsonBody } from './read-json-body.ts';
import { sendJson as send, sendBodyRefusal } from './send-json.ts';
import { type DemoStack, startDemoStack } from './start-demo-stack.ts';
import { sessionCookie, sessionIdOf, WebSessions } from './web-sessions.ts';

/** The base URLs `--serve` prints once everything is ready. */
export interface ServedUrls {
  readonly idp: string;
  readonly app: string;
  readonly agent: string;
  readonly api: string;
  /** The finance-tools MCP server: `{mcp}/{vendor}/mcp`. */
  readonly mcp: string;
  readonly page: string;
}

/** The web application, listening, with the demo stack it started. */
export interface WebApp {
  readonly url: string;
  readonly stack: DemoStack;
  close(): Promise<void>;
}

/** The client id the web application has at the embedded IdP. */
export const WEB_CLIENT_ID = 'dual-auth-demo-web';
const SESSION_SECONDS = 3600;

/** What the server keeps per browser: a sign-in in progress, or the signed-in human. */
type WebSession = { readonly pending: PendingLogin } | { readonly human: SignedInHuman };

function redirect(response: ServerResponse, location: string, cookie: string): void {
  response.writeHead(303, { location, 'set-cookie': cookie, 'cache-control': 'no-store' });
  response.end();
}

function parseTaskRequest(
  stack: DemoStack,
  human: SignedInHuman,
  body: Record<string, unknown>,
): TaskRequest | undefined {
  const { agentId, flow } = body;
  const { vendor, session } = human;
  const task = parseFinanceTask(body.task);
  if (typeof agentId !== 'string' || !stack.app.agentIds(vendor).includes(agentId)) return undefined;
  if (flow !== 'in-session' && flow !== 'out-of-session' && flow !== 'mcp') return undefined;
  if (task === undefined) return undefined;
  return { vendor, humanId: session.userId ?? '', agentId, flow, task, session };
}

function loginFailedPage(message: string): string {
  const safe = message.replace(/[<>&"']/g, '');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in failed</title></head><body><h1>Sign-in failed</h1><p id="reason">${safe}</p><p><a href="/">Back to the demo</a></p></body></html>`;
}

/**
 * The web application's HTTP side (loopback only). It listens first, then starts the demo stack with
 * itself registered at the embedded IdP as a confidential web client (redirect URI
 * `http://127.0.0.1:<port>/callback`), and serves: the page; `GET /login?vendor=` (redirect to the
 * IdP: authorization code + PKCE); `GET /callback` (state, iss, code exchange, ID token and nonce
 * checked; a new session id once signed in); `POST /logout`; `GET /api/session`; the IdP's directory;
 * `POST /api/run` (one agent task for the signed-in human) and the audit trail.
 * Sessions are server-side (memory); the browser holds a random id in an HttpOnly, SameSite=Lax
 * cookie. Requests must name the served `127.0.0.1:<port>` as their Host (a page on another name
 * that resolves to 127.0.0.1, DNS rebinding, is refused), and `POST`s must be `application/json`,
 * which a cross-site form or `text/plain` fetch cannot send without a preflight.
 */
export async function startWebApp(
  vendors: readonly Vendor[],
  options: {
    readonly port?: number;
    readonly environment?: Readonly<Record<string, string | undefined>>;
  } = {},
): Promise<WebApp> {
  let servedHost: string | undefined;
  let stack: DemoStack | undefined;
  let login: OidcLogin | undefined;
  const sessions = new WebSessions<WebSession>(SESSION_SECONDS);

  function signedIn(request: IncomingMessage): SignedInHuman | undefined {
    const session = sessions.get(sessionIdOf(request));
    return session !== undefined && 'human' in session ? session.human : undefined;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (
      servedHost === undefined ||
      stack === undefined ||
      login === undefined ||
      request.headers.host !== servedHost
    )
      return send(response, 421, { error: 'misdirected_request' });
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (request.method === 'GET' && path === '/') {
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy':
          "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        'cache-control': 'no-store',
      });
      return void response.end(pageHtml);
    }
    if (request.method === 'GET' && path === '/login') {
      const vendor = url.searchParams.get('vendor') ?? stack.vendors[0];
      if (typeof vendor !== 'string' || !isVendor(vendor) || !stack.vendors.includes(vendor))
        return send(response, 400, { error: 'unknown vendor' });
      const { pending, url: authorizationUrl } = await login.begin(vendor);
      sessions.delete(sessionIdOf(request));
      return redirect(response, authorizationUrl, sessionCookie(sessions.create({ pending }), 600));
    }
    if (request.method === 'GET' && path === '/callback') {
      const previous = sessionIdOf(request);
      const session = sessions.get(previous);
      sessions.delete(previous);
      try {
        if (session === undefined || !('pending' in session))
          throw new LoginError('no sign-in was started in this browser');
        const human = await login.complete(session.pending, url.searchParams);
        // A fresh session id once signed in (no fixation of an id set before the login).
        return redirect(response, '/', sessionCookie(sessions.create({ human }), SESSION_SECONDS));
      } catch (error) {
        if (!(error instanceof LoginError)) throw error;
        response.writeHead(400, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'none'",
          'cache-control': 'no-store',
          'set-cookie': sessionCookie(undefined, 0),
        });
        return void response.end(loginFailedPage(error.message));
      }
    }
    if (request.method === 'POST' && path === '/logout') {
      if (!isJsonRequest(request))
        return send(response, 415, { error: 'content-type must be application/json' });
      sessions.delete(sessionIdOf(request));
      return send(response, 200, { signedIn: false }, { 'set-cookie': sessionCookie(undefined, 0) });
    }
    if (request.method === 'GET' && path === '/api/session') {
      const human = signedIn(request);
      if (human === undefined) return send(response, 200, { signedIn: false });
      const { session, vendor } = human;
      const entry = stack.app.humans(vendor).find((candidate) => candidate.id === session.userId);
      return send(response, 200, {
        signedIn: true,
        vendor,
        // The IAM id and name from the verified ID token; roles and approvals from the IdP directory.
        human: {
          id: session.userId,
          name: session.userName,
          roles: entry?.roles ?? [],
          approvedAgents: entry?.approvedAgents ?? [],
        },
      });
    }
    if (request.method === 'GET' && path === '/api/directory') {
      return send(response, 200, {
        vendors: stack.vendors.map((vendor: Vendor) => ({
          vendor,
          humans: stack?.app.humans(vendor).map((human) => ({
            id: human.id,
            name: human.name,
            roles: human.roles,
            approvedAgents: human.approvedAgents,
          })),
          agents: stack?.app.agentIds(vendor),
        })),
      });
    }
    if (request.method === 'GET' && path === '/api/audit')
      return send(response, 200, { trail: stack.trail.recent(30) });
    if (request.method === 'POST' && path === '/api/run') {
      if (!isJsonRequest(request))
        return send(response, 415, { error: 'content-type must be application/json' });
      const human = signedIn(request);
      if (human === undefined) return send(response, 401, { error: 'sign in first' });
      const body = await readJsonBody(request);
      if (!body.ok) return sendBodyRefusal(response, body);
      const task = parseTaskRequest(stack, human, body.value);
      if (task === undefined) {
        return send(response, 400, {
          error: `invalid task request: agentId of this vendor, flow in-session|out-of-session|mcp, task ${FINANCE_TASKS.join('|')}`,
        });
      }
      const outcome = await stack.app.runTask(task);
      return send(response, 200, { outcome, trail: stack.trail.byCorrelation(outcome.correlationId) });
    }
    send(response, 404, { error: 'not_found' });
  }
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, { error: 'request failed' });
      else response.end();
    });
  });
  const bound = await listen(server, options.port ?? 0);
  const url = `http://127.0.0.1:${bound}`;
  const client = {
    clientId: WEB_CLIENT_ID,
    clientSecret: randomBytes(32).toString('base64url'),
    redirectUris: [`${url}/callback`],
  };
  try {
    stack = await startDemoStack(vendors, options.environment, { webClient: client });
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  login = createOidcLogin({ idp: stack.idp, client, redirectUri: `${url}/callback` });
  servedHost = `127.0.0.1:${bound}`;
  const started = stack;
  return {
    url,
    stack: started,
    async close() {
      await closeServer(server);
      await started.close();
    },
  };
}

/** `--serve`: starts everything, prints the URLs as one JSON line, runs until SIGINT/SIGTERM/SIGHUP. */
export async function serveDemo(args: DemoArguments): Promise<number> {
  const web = await startWebApp(args.vendors, { port: args.port });
  const { stack } = web;
  const urls: ServedUrls = {
    idp: stack.idp.baseUrl,
    app: web.url,
    agent: stack.agentService.baseUrl,
    api: stack.api.baseUrl,
    mcp: stack.mcp.baseUrl,
    page: `${web.url}/`,
  };
  process.stdout.write(`${JSON.stringify(urls)}\n`);
  process.stderr.write(`dual-auth demo: open ${urls.page} and sign in (Ctrl-C stops)\n`);
  // Kept while closing: a Ctrl-C reaches the demo from the terminal and again from every launcher
  // that forwards it (npm, tools/bootstrap.mjs), and a repeat must not kill it half-closed.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const onSignal = () => stop();
  for (const signal of signals) process.on(signal, onSignal);
  await stopped;
  await web.close();
  for (const signal of signals) process.off(signal, onSignal);
  process.stderr.write('dual-auth demo: stopped\n');
  return 0;
}
