import type { KoaContextWithOIDC } from 'oidc-provider';
import type { ClientAuthMethod } from './types.ts';

/**
 * How the request being served authenticates its client, from its form and headers (an HMAC
 * assertion is `client_secret_jwt`, any other `private_key_jwt`), or `undefined` for none.
 */
export function requestedAuthMethod(ctx: KoaContextWithOIDC | undefined): ClientAuthMethod | undefined {
  const params = ctx?.oidc?.params as Record<string, unknown> | undefined;
  const assertion = params?.client_assertion;
  if (typeof assertion === 'string') {
    try {
      const header = JSON.parse(Buffer.from(assertion.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
        alg?: unknown;
      };
      return typeof header.alg === 'string' && header.alg.startsWith('HS')
        ? 'client_secret_jwt'
        : 'private_key_jwt';
    } catch {
      return 'private_key_jwt';
    }
  }
  if (typeof params?.client_secret === 'string') return 'client_secret_post';
  if (ctx?.headers.authorization?.toLowerCase().startsWith('basic ')) return 'client_secret_basic';
  return undefined;
}
