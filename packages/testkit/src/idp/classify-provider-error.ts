import type { KoaContextWithOIDC } from 'oidc-provider';
import { requestedAuthMethod } from './requested-auth-method.ts';
import type { Refusal } from './token-refusal.ts';

/** An error oidc-provider raised while answering a token request. */
export type ProviderError = Error & { error?: string; error_detail?: string; error_description?: string };

/** The vendor-neutral refusal behind an error oidc-provider raised itself. */
export function classifyProviderError(ctx: KoaContextWithOIDC, error: ProviderError | undefined): Refusal {
  const detail =
    error?.error_detail ??
    (error?.cause instanceof Error ? error.cause.message : undefined) ??
    error?.error_description ??
    'request refused';
  switch (error?.error) {
    case 'invalid_client':
      if (ctx.oidc.client === undefined) return { kind: 'unknown_client', description: detail };
      if (detail.includes('invalid secret')) return { kind: 'bad_client_secret', description: detail };
      if (detail.includes('registered client authentication method')) {
        return {
          kind: 'unsupported_auth_method',
          description: 'this client authentication method is not supported',
        };
      }
      {
        const authMethod = requestedAuthMethod(ctx);
        return {
          kind: 'bad_client_assertion',
          description: detail,
          ...(authMethod === undefined ? {} : { authMethod }),
        };
      }
    case 'invalid_scope':
      return { kind: 'invalid_scope', description: error.error_description ?? detail };
    case 'invalid_target':
      return { kind: 'invalid_target', description: error.error_description ?? detail };
    case 'invalid_request':
      return {
        kind: 'invalid_request',
        description: error.error_description ?? detail,
        error: 'invalid_request',
        status: 400,
      };
    default:
      return {
        kind: 'other',
        description: error?.error_description ?? detail,
        error: error?.error ?? 'server_error',
        status: ctx.status,
      };
  }
}
