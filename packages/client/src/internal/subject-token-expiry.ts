import type { Secret } from '@dual-auth/core';

/**
 * The `exp` (epoch seconds) of an exchange request's subject token when it is a JWT, else
 * `undefined`. Read without verifying: it only shortens how long the exchanged token is served from
 * the cache (the IdP verified the subject token; an opaque one leaves the response's `expires_in`).
 */
export function subjectTokenExpiry(subjectToken: Secret | undefined): number | undefined {
  if (subjectToken === undefined) return undefined;
  const parts = subjectToken.reveal().split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const payload: unknown = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))),
    );
    const exp = (payload as { exp?: unknown } | null)?.exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
  } catch {
    return undefined;
  }
}
