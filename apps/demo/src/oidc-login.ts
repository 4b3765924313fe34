import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Vendor } from '@dual-auth/core';
import { type UserSession, userSessionFromIdTokenClaims } from '@dual-auth/sender';
import type { EmbeddedIdp, WebClientFixture } from '@dual-auth/testkit';
import { createRemoteJWKSet, jwtVerify } from 'jose';

/** A sign-in in progress, kept server-side in the browser's session until the callback. */
export interface PendingLogin {
  readonly vendor: Vendor;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** A signed-in human: the session built from their verified ID token. */
export interface SignedInHuman {
  readonly vendor: Vendor;
  readonly session: UserSession;
}

/** Why a callback was refused (a message safe to show: no token, code or claim values). */
export class LoginError extends Error {
  override readonly name = 'LoginError';
}

interface ProviderMetadata {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
}

const random = () => randomBytes(32).toString('base64url');

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The web application's OIDC login (authorization code + PKCE S256, confidential client with
 * `client_secret_basic`), against the vendor profile's discovery document: `begin` builds the
 * authorization URL; `complete` checks `state` and `iss`, exchanges the code with the PKCE
 * verifier, verifies the ID token (signature against the JWKS, issuer, audience, expiry, nonce) and
 * turns its claims into a `UserSession` with `userSessionFromIdTokenClaims`.
 */
export function createOidcLogin(options: {
  readonly idp: EmbeddedIdp;
  readonly client: WebClientFixture;
  readonly redirectUri: string;
}) {
  const { idp, client, redirectUri } = options;
  const metadata = new Map<Vendor, Promise<ProviderMetadata>>();
  const keySets = new Map<Vendor, ReturnType<typeof createRemoteJWKSet>>();

  function discover(vendor: Vendor): Promise<ProviderMetadata> {
    let found = metadata.get(vendor);
    if (found === undefined) {
      found = (async () => {
        const response = await fetch(idp.profile(vendor).discoveryUrl, {
          signal: AbortSignal.timeout(10_000),
        });
        if (!response.ok) throw new LoginError(`discovery failed (HTTP ${response.status})`);
        return (await response.json()) as ProviderMetadata;
      })();
      found.catch(() => metadata.delete(vendor));
      metadata.set(vendor, found);
    }
    return found;
  }

  async function begin(vendor: Vendor): Promise<{ pending: PendingLogin; url: string }> {
    const { authorization_endpoint } = await discover(vendor);
    const pending: PendingLogin = { vendor, state: random(), nonce: random(), codeVerifier: random() };
    const url = new URL(authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: client.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: createHash('sha256').update(pending.codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
      // Always show the login page, so a person can sign in as another user.
      prompt: 'login',
    }).toString();
    return { pending, url: url.href };
  }

  async function complete(pending: PendingLogin, query: URLSearchParams): Promise<SignedInHuman> {
    const state = query.get('state');
    if (state === null || !same(state, pending.state)) throw new LoginError('state does not match');
    const { vendor } = pending;
    const provider = await discover(vendor);
    const iss = query.get('iss');
    if (iss !== null && iss !== provider.issuer) throw new LoginError('iss does not match the IdP');
    const error = query.get('error');
    if (error !== null)
      throw new LoginError(`the IdP refused the sign-in (${error.replace(/[^\w.-]/g, '')})`);
    const code = query.get('code');
    if (code === null || code === '') throw new LoginError('no authorization code');
    const response = await fetch(provider.token_endpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: pending.codeVerifier,
      }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new LoginError(`the code exchange was refused (HTTP ${response.status})`);
    const { id_token: idToken } = (await response.json()) as { id_token?: unknown };
    if (typeof idToken !== 'string') throw new LoginError('the token response has no ID token');
    let keys = keySets.get(vendor);
    if (keys === undefined) {
      keys = createRemoteJWKSet(new URL(provider.jwks_uri));
      keySets.set(vendor, keys);
    }
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(idToken, keys, {
        issuer: provider.issuer,
        audience: client.clientId,
        algorithms: ['RS256', 'PS256', 'ES256'],
      }));
    } catch {
      throw new LoginError('the ID token did not verify');
    }
    if (typeof claims.nonce !== 'string' || !same(claims.nonce, pending.nonce)) {
      throw new LoginError('nonce does not match');
    }
    try {
      return { vendor, session: userSessionFromIdTokenClaims(claims, { vendor }) };
    } catch {
      throw new LoginError('the ID token does not identify the user');
    }
  }

  return { begin, complete };
}

/** The login of {@link createOidcLogin}. */
export type OidcLogin = ReturnType<typeof createOidcLogin>;
