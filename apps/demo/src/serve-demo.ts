import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isVendor, type Vendor } from '@dual-auth/core';
import type { TaskRequest } from './demo-application.ts';
import { closeServer, listen } from './listen.ts';
import { pageHtml } from './page-html.ts';
import type { DemoArguments } from './parse-arguments.ts';
import { readJsonBody } from './read-json-body.ts';
import { type DemoStack, startDemoStack } from './start-demo-stack.ts';

/** The base URLs `--serve` prints once everything is ready. */
export interface ServedUrls {
  readonly idp: string;
  readonly app: string;
  readonly agent: string;
  readonly api: string;
  readonly page: string;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

function parseTaskRequest(stack: DemoStack, body: Record<string, unknown>): TaskRequest | undefined {
  const { vendor, humanId, agentId, flow, task } = body;
  if (typeof vendor !== 'string' || !isVendor(vendor) || !stack.vendors.includes(vendor)) return undefined;
  if (typeof humanId !== 'string' || !stack.app.humans(vendor).some((human) => human.id === humanId))
    return undefined;
  if (typeof agentId !== 'string' || !stack.app.agentIds(vendor).includes(agentId)) return undefined;
  if (flow !== 'in-session' && flow !== 'out-of-session') return undefined;
  return { vendor, humanId, agentId, flow, task: task === 'post-summary' ? 'post-summary' : 'read-report' };
}

/** Whether a request's `content-type` is JSON (`application/json`, parameters allowed). */
function isJson(request: IncomingMessage): boolean {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}

/**
 * The web application's HTTP side (loopback only): the page, the user picker's directory (the IdP's
 * users), `POST /api/run` (one agent task, in-session or out-of-session) and the audit trail.
 * Requests must name the served `127.0.0.1:<port>` as their Host (a page on another name that
 * resolves to 127.0.0.1, DNS rebinding, is refused), and `POST /api/run` must be
 * `application/json`, which a cross-site form or `text/plain` fetch cannot send without a preflight.
 */
export async function startWebApp(
  stack: DemoStack,
  port = 0,
): Promise<{ url: string; close(): Promise<void> }> {
  let servedHost: string | undefined;
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (servedHost === undefined || request.headers.host !== servedHost)
      return send(response, 421, { error: 'misdirected_request' });
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (request.method === 'GET' && path === '/') {
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy':
          "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
        'cache-control': 'no-store',
      });
      return void response.end(pageHtml);
    }
    if (request.method === 'GET' && path === '/api/directory') {
      return send(response, 200, {
        vendors: stack.vendors.map((vendor: Vendor) => ({
          vendor,
          humans: stack.app.humans(vendor).map((human) => ({
            id: human.id,
            name: human.name,
            roles: human.roles,
            approvedAgents: human.approvedAgents,
          })),
          agents: stack.app.agentIds(vendor),
        })),
      });
    }
    if (request.method === 'GET' && path === '/api/audit')
      return send(response, 200, { trail: stack.trail.recent(30) });
    if (request.method === 'POST' && path === '/api/run') {
      if (!isJson(request)) return send(response, 415, { error: 'content-type must be application/json' });
      const body = await readJsonBody(request);
      const task = body === 'invalid' || body === undefined ? undefined : parseTaskRequest(stack, body);
      if (task === undefined) return send(response, 400, { error: 'invalid task request' });
      const outcome = await stack.app.runTask(task);
      return send(response, 200, { outcome, trail: stack.trail.byCorrelation(outcome.correlationId) });
    }
    send(response, 404, { error: 'not_found' });
  }
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, { error: 'task failed' });
      else response.end();
    });
  });
  const bound = await listen(server, port);
  servedHost = `127.0.0.1:${bound}`;
  return { url: `http://127.0.0.1:${bound}`, close: () => closeServer(server) };
}

/** `--serve`: starts everything, prints the URLs as one JSON line, runs until SIGINT/SIGTERM. */
export async function serveDemo(args: DemoArguments): Promise<number> {
  const stack = await startDemoStack(args.vendors);
  const web = await startWebApp(stack, args.port).catch(async (error: unknown) => {
    await stack.close();
    throw error;
  });
  const urls: ServedUrls = {
    idp: stack.idp.baseUrl,
    app: web.url,
    agent: stack.agentService.baseUrl,
    api: stack.api.baseUrl,
    page: `${web.url}/`,
  };
  process.stdout.write(`${JSON.stringify(urls)}\n`);
  process.stderr.write(`dual-auth demo: open ${urls.page} (Ctrl-C stops)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await web.close();
  await stack.close();
  process.stderr.write('dual-auth demo: stopped\n');
  return 0;
}
