import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Name of the web application's session cookie. */
export const SESSION_COOKIE = 'demo_session';

/**
 * Server-side sessions of the web application, in memory: the browser holds only a random id
 * (32 bytes, base64url) in an HttpOnly, SameSite=Lax cookie. Entries expire after `ttlSeconds`.
 */
export class WebSessions<T> {
  readonly #entries = new Map<string, { data: T; expiresAt: number }>();
  readonly #ttlMs: number;

  constructor(ttlSeconds: number) {
    this.#ttlMs = ttlSeconds * 1000;
  }

  /** Stores `data` under a new random id and returns the id. */
  create(data: T): string {
    const now = Date.now();
    for (const [id, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(id);
    const id = randomBytes(32).toString('base64url');
    this.#entries.set(id, { data, expiresAt: now + this.#ttlMs });
    return id;
  }

  get(id: string | undefined): T | undefined {
    if (id === undefined) return undefined;
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry.data;
  }

  delete(id: string | undefined): void {
    if (id !== undefined) this.#entries.delete(id);
  }
}

/** The session id the request's cookie carries, if any. */
export function sessionIdOf(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === SESSION_COOKIE) return part.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

/** `Set-Cookie` value for a session id (HttpOnly, SameSite=Lax, Path=/), or one that clears it. */
export function sessionCookie(id: string | undefined, maxAgeSeconds: number): string {
  return id === undefined
    ? `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`
    : `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
}
