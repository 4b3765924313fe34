import { decodeJwt, decodeProtectedHeader } from 'jose';

/** A JWT as the page shows it: header and claims only, emails masked, never the compact token. */
export interface DecodedJwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
}

function maskEmail(value: string): string {
  const at = value.indexOf('@');
  return at <= 0 ? '•••' : `${value[0]}•••@${value.slice(at + 1)}`;
}

function masked(value: unknown, depth = 0): unknown {
  if (depth > 6) return '…';
  if (Array.isArray(value)) return value.map((item) => masked(item, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = key === 'email' && typeof inner === 'string' ? maskEmail(inner) : masked(inner, depth + 1);
  }
  return out;
}

/** Decodes (without verifying: it was verified where it mattered) a JWT for display, or `undefined`. */
export function decodeForDisplay(jwt: string | undefined): DecodedJwt | undefined {
  if (jwt === undefined || jwt === '') return undefined;
  try {
    return {
      header: masked(decodeProtectedHeader(jwt)) as Record<string, unknown>,
      claims: masked(decodeJwt(jwt)) as Record<string, unknown>,
    };
  } catch {
    return undefined;
  }
}
