import type { IncomingMessage } from 'node:http';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Directory } from './directory.ts';
import { findLoginHuman } from './login-human.ts';
import { loginPageHtml } from './login-page.ts';

/** Scopes the login page grants when the application asks for them. */
const grantableScopes = new Set(['openid', 'profile', 'email']);
const maximumFormBytes = 4_096;

/** Where oidc-provider sends the browser to sign in: `{mount}/interaction/{uid}`. */
export function loginInteractionPath(mount: string, uid: string): string {
  return `${mount}/interaction/${uid}`;
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maximumFormBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sendHtml(ctx: KoaContextWithOIDC, status: number, html: string): void {
  ctx.status = status;
  ctx.set('content-type', 'text/html; charset=utf-8');
  ctx.set('cache-control', 'no-store');
  ctx.set('x-frame-options', 'DENY');
  ctx.set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  ctx.body = html;
}

function notice(title: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1><p>Start the sign-in again from the application.</p></main></body></html>`;
}

/**
 * Koa middleware serving the test login page at `{mount}/interaction/{uid}` (GET), its form
 * (`POST …/login`, field `username`) and "Cancel" (`POST …/abort`). A known user finishes both the
 * login and the consent prompt (a Grant of the requested `openid profile email` scopes); an unknown
 * one gets the page again with 401.
 */
export function loginInteraction(
  provider: Provider,
  options: { readonly vendor: string; readonly mount: string; readonly directory: Directory },
): (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void> {
  const { directory, mount } = options;
  const users = directory.fixture.humans.map((human) => ({ username: human.id, name: human.name }));
  return async (ctx, next) => {
    const match = /^\/interaction\/([\w-]{1,64})(\/login|\/abort)?$/.exec(ctx.path);
    if (match === null) return next();
    const [, uid = '', action] = match;
    const method = ctx.method;
    if ((action === undefined && method !== 'GET') || (action !== undefined && method !== 'POST')) {
      ctx.status = 405;
      ctx.body = '';
      return;
    }
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch {
      return sendHtml(ctx, 400, notice('This sign-in has expired or was not started here'));
    }
    if (details.uid !== uid) return sendHtml(ctx, 400, notice('This sign-in does not match'));
    const clientId = String(details.params.client_id ?? '');
    const base = loginInteractionPath(mount, uid);
    const page = (extra: { typed?: string; error?: string } = {}) =>
      loginPageHtml({
        vendor: options.vendor,
        clientId,
        action: `${base}/login`,
        abortAction: `${base}/abort`,
        users,
        ...extra,
      });
    if (action === undefined) return sendHtml(ctx, 200, page());

    if (action === '/abort') {
      const returnTo = await provider.interactionResult(
        ctx.req,
        ctx.res,
        { error: 'access_denied', error_description: 'the user cancelled the sign-in' },
        { mergeWithLastSubmission: false },
      );
      ctx.status = 303;
      ctx.set('location', returnTo);
      ctx.body = '';
      return;
    }
    const form = await readForm(ctx.req);
    if (form === undefined) return sendHtml(ctx, 413, page({ error: 'The form is too large.' }));
    const typed = (form.get('username') ?? '').slice(0, 200);
    const found = findLoginHuman(directory, typed);
    if (found === undefined) {
      return sendHtml(ctx, 401, page({ typed, error: 'Unknown user: no such user in this directory.' }));
    }
    const accountId = found.human.id;
    const grant = new provider.Grant({ accountId, clientId });
    const requested = String(details.params.scope ?? '')
      .split(' ')
      .filter((scope) => grantableScopes.has(scope));
    grant.addOIDCScope(requested.join(' '));
    const grantId = await grant.save();
    const returnTo = await provider.interactionResult(
      ctx.req,
      ctx.res,
      { login: { accountId }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
    ctx.status = 303;
    ctx.set('location', returnTo);
    ctx.body = '';
  };
}
