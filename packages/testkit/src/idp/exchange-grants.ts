import { createLocalJWKSet, type JWK, jwtVerify } from 'jose';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Directory } from './directory.ts';
import type { Refusal } from './token-refusal.ts';
import type { ClientAuthMethod, WebClientFixture } from './types.ts';
import type { TokenShape, VendorEmulation } from './vendor-emulation.ts';

/** RFC 8693 §2.1. */
export const tokenExchangeGrantType = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** RFC 8693 §2.1's request parameters. */
const tokenExchangeParameters: readonly string[] = [
  'subject_token',
  'subject_token_type',
  'requested_token_type',
  'audience',
  'resource',
  'scope',
  'actor_token',
  'actor_token_type',
  'requested_subject',
  'requested_issuer',
  'subject_issuer',
];

/** What the grant handlers need of the profile they run in. */
export interface ExchangeGrantContext {
  readonly emulation: VendorEmulation;
  readonly directory: Directory;
  readonly issuer: string;
  readonly signingKeys: readonly JWK[];
  readonly webClients: ReadonlyMap<string, WebClientFixture>;
  /** Makes oidc-provider stop the request, the vendor's refusal remembered for the answer. */
  readonly refuse: (ctx: object, refusal: Refusal) => never;
  /** Remembers how the token about to be issued is shaped (the JWT customizer reads it). */
  readonly shapeWith: (ctx: object, shape: TokenShape) => void;
}

function publicJwk(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = jwk;
  return rest;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function mint(
  provider: Provider,
  ctx: KoaContextWithOIDC,
  accountId: string,
  scope: string,
  context: ExchangeGrantContext,
): Promise<{ value: string; expiresIn: number }> {
  const { fixture } = context.directory;
  const { AccessToken, ResourceServer } = provider as unknown as {
    AccessToken: new (
      input: Record<string, unknown>,
    ) => {
      resourceServer: unknown;
      expiration: number;
      save(): Promise<string>;
    };
    ResourceServer: new (identifier: string, data: Record<string, unknown>) => unknown;
  };
  const ttl = context.emulation.spec.accessTokenTtlSeconds;
  const token = new AccessToken({
    accountId,
    client: ctx.oidc.client,
    gty: 'token_exchange',
    scope: scope === '' ? undefined : scope,
    expiresWithSession: false,
  });
  token.resourceServer = new ResourceServer(fixture.api.identifier, {
    scope: fixture.api.scopes.join(' '),
    audience: context.emulation.audience(fixture),
    accessTokenFormat: 'jwt',
    accessTokenTTL: ttl,
    jwt: { sign: { alg: 'RS256' } },
  });
  ctx.oidc.entity('AccessToken', token as never);
  return { value: await token.save(), expiresIn: token.expiration };
}

/**
 * Registers the vendor's exchange of a human's token (RFC 8693 token exchange, or the grant type
 * and form parameter its emulation names) and, for the humans' side of it, its direct
 * grant (`grant_type=password` for web applications), when the vendor's emulation has them. The
 * handlers verify the subject token for real (signature and issuer, with the profile's own keys)
 * and leave every vendor rule to the emulation.
 */
export function registerExchangeGrants(provider: Provider, context: ExchangeGrantContext): void {
  const { emulation, directory, issuer, webClients } = context;
  const { tokenExchange, directGrant } = emulation;
  const { fixture } = directory;
  const keys = createLocalJWKSet({ keys: context.signingKeys.map(publicJwk) });

  if (directGrant !== undefined) {
    provider.registerGrantType(
      'password',
      async (ctx: KoaContextWithOIDC) => {
        const webClient = webClients.get(ctx.oidc.client?.clientId ?? '');
        const params = ctx.oidc.params as Record<string, unknown>;
        const human = webClient === undefined ? undefined : directGrant.authenticate(directory, params);
        if (webClient === undefined || human === undefined) {
          return context.refuse(ctx, directGrant.refusal(webClient === undefined));
        }
        context.shapeWith(ctx, (header, payload) =>
          directGrant.shapeAccessToken({ human, webClient, fixture, directory, params }, header, payload),
        );
        const minted = await mint(provider, ctx, human.id, '', context);
        ctx.body = { access_token: minted.value, expires_in: minted.expiresIn, token_type: 'Bearer' };
      },
      ['username', 'password', 'scope'],
    );
  }

  if (tokenExchange !== undefined) {
    const subjectTokenParameter = tokenExchange.subjectTokenParameter ?? 'subject_token';
    provider.registerGrantType(
      tokenExchange.grantType ?? tokenExchangeGrantType,
      async (ctx: KoaContextWithOIDC) => {
        const params = ctx.oidc.params as Record<string, unknown>;
        const agent = directory.agent(ctx.oidc.client?.clientId ?? '');
        const subjectToken = text(params[subjectTokenParameter]);
        let subject: Record<string, unknown> | undefined;
        if (subjectToken !== undefined) {
          try {
            subject = (await jwtVerify(subjectToken, keys, { issuer })).payload;
          } catch {
            subject = undefined;
          }
        }
        const decision = tokenExchange.decide({
          agent,
          params,
          subject,
          fixture,
          directory,
          isClient: (clientId) => directory.agent(clientId) !== undefined || webClients.has(clientId),
        });
        if ('refusal' in decision) return context.refuse(ctx, decision.refusal);
        const { human, scope } = decision;
        context.shapeWith(ctx, (header, payload) =>
          tokenExchange.shapeAccessToken(
            {
              agent: decision.agent,
              human,
              subject: decision.subject,
              fixture,
              directory,
              authMethod: ctx.oidc.client?.clientAuthMethod as ClientAuthMethod | undefined,
            },
            header,
            payload,
          ),
        );
        const minted = await mint(provider, ctx, human.id, scope.join(' '), context);
        ctx.body = tokenExchange.tokenResponse(
          {
            access_token: minted.value,
            expires_in: minted.expiresIn,
            token_type: 'Bearer',
            scope: scope.join(' '),
          },
          decision.subject,
        );
      },
      [...(tokenExchange.parameters ?? tokenExchangeParameters)],
      (tokenExchange.parameters ?? tokenExchangeParameters).filter(
        (name) => name === 'audience' || name === 'resource',
      ),
    );
  }
}
