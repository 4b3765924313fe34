// Human sign-in at the embedded IdP, driven the way a browser and a web application would: plain
// fetch following each redirect by hand, the login form posted, the code exchanged with PKCE, the
// ID token verified with jose against the profile's JWKS. No dual-auth client code.
import { createHash, randomBytes } from 'node:crypto';
import type { Vendor } from '@dual-auth/core';
import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { useEmbeddedIdp } from '../src/conformance/index.ts';
import { type IdpProfile, startEmbeddedIdp } from '../src/index.ts';

const vendors: readonly Vendor[] = ['keycloak', 'auth0', 'okta', 'entraid'];
const client = {
  clientId: 'demo-web',
  clientSecret: 'demo-web-secret-0123456789abcdef0123456789abcdef',
  redirectUris: ['http://127.0.0.1:9/callback'],
};
const redirectUri = client.redirectUris[0] ?? '';

const idp = useEmbeddedIdp({ webClients: [client] });

const random = () => randomBytes(32).toString('base64url');

/** A browser's cookies for the IdP origin (paths ignored: sending more is harmless here). */
class Browser {
  readonly #cookies = new Map<string, string>();

  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size > 0) {
      headers.set('cookie', [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return response;
  }

  /** Follows a redirect, relative to `from`. */
  static location(response: Response, from: string): string {
    const location = response.headers.get('location');
    if (location === null) throw new Error(`no redirect (HTTP ${response.status})`);
    return new URL(location, from).href;
  }
}

interface Started {
  readonly browser: Browser;
  readonly loginUrl: string;
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
}

async function startSignIn(profile: IdpProfile): Promise<Started> {
  const browser = new Browser();
  const verifier = random();
  const state = random();
  const nonce = random();
  const url = new URL(profile.authorizationEndpoint);
  url.search = new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    state,
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const authorize = await browser.go(url.href);
  expect(authorize.status).toBe(303);
  const loginUrl = Browser.location(authorize, url.href);
  expect(new URL(loginUrl).pathname).toMatch(/\/interaction\/[\w-]+$/);
  return { browser, loginUrl, verifier, state, nonce };
}

async function postLogin(started: Started, username: string): Promise<Response> {
  return started.browser.go(`${started.loginUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username }).toString(),
  });
}

/** Signs in as `username`; returns the authorization response parameters at the redirect URI. */
async function signIn(profile: IdpProfile, username: string): Promise<Started & { callback: URL }> {
  const started = await startSignIn(profile);
  const page = await started.browser.go(started.loginUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('test identity provider');
  expect(html).toContain('name="username"');
  const login = await postLogin(started, username);
  expect(login.status).toBe(303);
  const resumeUrl = Browser.location(login, started.loginUrl);
  let response = await started.browser.go(resumeUrl);
  let at = resumeUrl;
  for (let hops = 0; hops < 5 && !Browser.location(response, at).startsWith(redirectUri); hops++) {
    at = Browser.location(response, at);
    response = await started.browser.go(at);
  }
  const callback = new URL(Browser.location(response, at));
  expect(callback.origin + callback.pathname).toBe(redirectUri);
  return { ...started, callback };
}

async function exchange(profile: IdpProfile, code: string, verifier: string): Promise<Response> {
  return fetch(profile.tokenEndpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }).toString(),
  });
}

async function profileJwks(profile: IdpProfile) {
  return createLocalJWKSet((await (await fetch(profile.jwksUri)).json()) as JSONWebKeySet);
}

function alice(profile: IdpProfile) {
  const found = profile.humans.find((human) => human.email === 'alice@example.com');
  if (!found) throw new Error('fixture human alice missing');
  return found;
}

describe.each(vendors)('%s: authorization code + PKCE with the test login page', (vendor) => {
  it('signs alice in and issues an ID token with her vendor-shaped claims', async () => {
    const profile = idp.profile(vendor);
    const { callback, state, nonce, verifier } = await signIn(profile, 'alice');
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.get('iss')).toBe(profile.issuer);
    const code = callback.searchParams.get('code') ?? '';
    expect(code).not.toBe('');

    const response = await exchange(profile, code, verifier);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { id_token?: string; access_token?: string; token_type?: string };
    expect(body.token_type).toBe('Bearer');
    const { payload, protectedHeader } = await jwtVerify(body.id_token ?? '', await profileJwks(profile), {
      issuer: profile.issuer,
      audience: client.clientId,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.nonce).toBe(nonce);
    const human = alice(profile);
    expect(payload).toMatchObject({ email: 'alice@example.com', name: 'Alice Approved' });
    const claims: JWTPayload = payload;
    switch (vendor) {
      case 'keycloak':
        expect(claims.sub).toBe(human.id);
        expect(claims.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(claims.preferred_username).toBe('alice');
        break;
      case 'auth0':
        expect(claims.sub).toBe(human.id);
        expect(claims.sub).toMatch(/^auth0\|[0-9a-f]{32}$/);
        break;
      case 'okta':
        expect(claims.sub).toBe(human.id);
        expect(claims.sub).toMatch(/^00u[0-9a-f]{17}$/);
        break;
      case 'entraid':
        expect(claims.oid).toBe(human.id);
        expect(claims.tid).toBe(idp.profile('entraid').issuer.split('/').at(-2));
        expect(claims.sub).not.toBe(human.id);
        expect(claims.sub).toMatch(/^[\w-]{43}$/);
        break;
    }

    // The code is single-use.
    expect((await exchange(profile, code, verifier)).status).toBe(400);
  });

  it('refuses the code exchange with the wrong PKCE verifier', async () => {
    const profile = idp.profile(vendor);
    const { callback } = await signIn(profile, 'alice@example.com');
    const response = await exchange(profile, callback.searchParams.get('code') ?? '', random());
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error?: string }).error).toBe('invalid_grant');
  });

  it('refuses an unknown user at the login page, and signs a known one in afterwards', async () => {
    const profile = idp.profile(vendor);
    const started = await startSignIn(profile);
    const refused = await postLogin(started, 'mallory');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('location')).toBeNull();
    const html = await refused.text();
    expect(html).toContain('Unknown user');
    expect(html).toContain('value="mallory"');
    expect((await postLogin(started, 'carol')).status).toBe(303);
  });
});

describe('authorization requests the web client may not make', () => {
  it('requires PKCE (no code_challenge is refused at the redirect URI)', async () => {
    const profile = idp.profile('okta');
    const url = new URL(profile.authorizationEndpoint);
    url.search = new URLSearchParams({
      client_id: client.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      state: 's',
      nonce: 'n',
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? 'http://x/');
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('refuses an unregistered redirect URI without redirecting', async () => {
    const profile = idp.profile('keycloak');
    const url = new URL(profile.authorizationEndpoint);
    url.search = new URLSearchParams({
      client_id: client.clientId,
      response_type: 'code',
      redirect_uri: 'http://127.0.0.1:9/elsewhere',
      scope: 'openid',
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256',
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('refuses a login page without its interaction cookie', async () => {
    const started = await startSignIn(idp.profile('auth0'));
    expect((await fetch(started.loginUrl, { redirect: 'manual' })).status).toBe(400);
  });

  it('keeps issuing agents their client-credentials tokens', async () => {
    const profile = idp.profile('keycloak');
    const agent = profile.agents.find((candidate) => candidate.clientId === 'finance-agent');
    const response = await fetch(profile.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: agent?.clientId ?? '',
        client_secret: agent?.clientSecret ?? '',
      }).toString(),
    });
    expect(response.status).toBe(200);
    expect(Object.keys((await response.json()) as object)).not.toContain('id_token');
  });

  it('checks the web client options', async () => {
    await expect(
      startEmbeddedIdp({ webClients: [{ ...client, redirectUris: ['http://example.com/callback'] }] }),
    ).rejects.toThrow(TypeError);
    await expect(startEmbeddedIdp({ webClients: [{ ...client, clientSecret: 'short' }] })).rejects.toThrow(
      TypeError,
    );
    await expect(
      startEmbeddedIdp({ webClients: [{ ...client, clientId: 'finance-agent' }] }),
    ).rejects.toThrow(TypeError);
  });
});
