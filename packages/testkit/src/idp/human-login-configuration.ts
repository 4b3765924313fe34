import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Directory } from './directory.ts';
import { loginInteractionPath } from './login-interaction.ts';
import type { VendorEmulation } from './vendor-emulation.ts';

/**
 * The oidc-provider configuration for human sign-in (only with web clients): the vendor's
 * authorization path, the test login page, PKCE always, the signed-in human's claims in the ID
 * token as the vendor puts them there.
 */
export function humanLoginConfiguration(
  emulation: VendorEmulation,
  directory: Directory,
  mount: string,
): Record<string, unknown> {
  const { spec, pairwiseSubject } = emulation;
  const { fixture } = directory;
  return {
    responseTypes: ['code', 'none'],
    routes: {
      token: spec.routes.token,
      jwks: spec.routes.jwks,
      authorization: spec.loginRoutes.authorization,
      userinfo: spec.loginRoutes.userinfo,
    },
    pkce: { required: () => true },
    conformIdTokenClaims: false,
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username', 'nickname', 'oid', 'tid'],
      email: ['email', 'email_verified'],
    },
    interactions: {
      url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) =>
        loginInteractionPath(mount, interaction.uid),
    },
    renderError: async (ctx: KoaContextWithOIDC, out: { error?: string }) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head><body><h1>Sign-in error</h1><p>${String(out.error ?? 'error').replace(/[^\w.-]/g, '')}</p></body></html>`;
    },
    subjectTypes: pairwiseSubject === undefined ? ['public'] : ['public', 'pairwise'],
    ...(pairwiseSubject === undefined
      ? {}
      : {
          pairwiseIdentifier: async (
            _ctx: KoaContextWithOIDC,
            accountId: string,
            client: { clientId: string },
          ) => pairwiseSubject(fixture, client.clientId, accountId),
        }),
    findAccount: async (_ctx: KoaContextWithOIDC, accountId: string) => {
      const human = directory.human(accountId);
      if (human === undefined) return undefined;
      return { accountId, claims: async () => emulation.humanClaims(directory, human) };
    },
  };
}
