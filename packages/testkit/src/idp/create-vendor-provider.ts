import { AsyncLocalStorage } from 'node:async_hooks';
import type { JWK } from 'jose';
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { classifyProviderError, type ProviderError } from './classify-provider-error.ts';
import type { Directory } from './directory.ts';
import { registerExchangeGrants, tokenExchangeGrantType } from './exchange-grants.ts';
import { humanLoginConfiguration } from './human-login-configuration.ts';
import { loginInteraction } from './login-interaction.ts';
import type { MemoryStorage } from './memory-storage.ts';
import { providerStorageAdapter } from './provider-storage-adapter.ts';
import { requestedAuthMethod } from './requested-auth-method.ts';
import type { EmbeddedIdpHooks } from './start-embedded-idp.ts';
import type { Refusal } from './token-refusal.ts';
import type { ClientAuthMethod, WebClientFixture } from './types.ts';
import type { TokenShape, VendorEmulation } from './vendor-emulation.ts';

export type { CredentialsExchangeAction } from './vendors/auth0-action.ts';

export interface VendorProviderOptions {
  readonly emulation: VendorEmulation;
  readonly baseUrl: string;
  readonly directory: Directory;
  readonly signingKeys: readonly JWK[];
  readonly storage: MemoryStorage;
  /** Code the vendor's pre-approval runs in place of what dual-auth ships. */
  readonly hooks: EmbeddedIdpHooks;
  /** Called once per answered token request. */
  readonly onTokenRequest: () => void;
  /** Web applications signing humans in (authorization code + PKCE); none by default. */
  readonly webClients?: readonly WebClientFixture[];
}

// The request being served, so that client lookups can see how the client authenticates: one
// fixture agent may use several methods, while oidc-provider registers one per client.
const currentRequest = new AsyncLocalStorage<KoaContextWithOIDC>();
const assertionClaims = new WeakMap<object, Record<string, unknown>>();
const refusals = new WeakMap<object, Refusal>();
const providerErrors = new WeakMap<object, ProviderError>();
// Tokens a vendor grant (token exchange, direct grant) shapes itself, per request.
const tokenShapes = new WeakMap<object, TokenShape>();

const supportedAlgorithms = ['HS256', 'HS384', 'HS512', 'RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];
const secretMethods: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post'];

/** Remembers the vendor's refusal for the answer, and makes oidc-provider stop the request. */
function refuse(ctx: object, refusal: Refusal): never {
  refusals.set(ctx, refusal);
  throw new errors.AccessDenied(refusal.description);
}

function requestedScopes(ctx: KoaContextWithOIDC): string[] {
  const scope = (ctx.oidc.params as Record<string, unknown> | undefined)?.scope;
  return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
}

function requestBody(ctx: KoaContextWithOIDC): Record<string, unknown> {
  return (ctx.oidc.body ?? {}) as Record<string, unknown>;
}

// The key is registered as a credential without its `alg`: an Entra certificate signs PS256 or
// RS256 alike, and each vendor's assertion rule (vendors/*.ts `assertionFailure`) says which
// algorithms it takes, and whether it holds the credential to one.
function registeredCredential(jwk: JWK): JWK {
  const { alg: _alg, ...credential } = jwk;
  return credential;
}

/** One oidc-provider instance configured to behave like one vendor (the vendor profiles in the testkit README). */
export function createVendorProvider(options: VendorProviderOptions): Provider {
  const { emulation, directory, storage } = options;
  const { spec, vendor } = emulation;
  const { fixture } = directory;
  const issuer = spec.issuer(options.baseUrl, fixture);
  const mount = spec.mount(fixture);
  const tokenUrl = `${options.baseUrl}${mount}${spec.routes.token}`;
  const preApproval = emulation.preApproval({ directory, hooks: options.hooks });

  const webClients = new Map((options.webClients ?? []).map((client) => [client.clientId, client]));
  const humanLogin = webClients.size > 0;
  const isWebClient = (clientId: unknown): boolean =>
    typeof clientId === 'string' && directory.agent(clientId) === undefined && webClients.has(clientId);

  function webClientMetadata(client: WebClientFixture): Record<string, unknown> {
    const requested = requestedAuthMethod(currentRequest.getStore());
    return {
      client_id: client.clientId,
      client_secret: client.clientSecret,
      grant_types: ['authorization_code', ...(emulation.directGrant === undefined ? [] : ['password'])],
      response_types: ['code'],
      redirect_uris: [...client.redirectUris],
      token_endpoint_auth_method: requested === 'client_secret_post' ? requested : 'client_secret_basic',
      // A vendor whose human `sub` is per application (Entra ID's; its `oid` is the user's object id).
      ...(emulation.pairwiseSubject === undefined ? {} : { subject_type: 'pairwise' }),
    };
  }

  function clientMetadata(clientId: string): Record<string, unknown> | undefined {
    const agent = directory.agent(clientId);
    if (agent === undefined) {
      const webClient = webClients.get(clientId);
      return webClient === undefined ? undefined : webClientMetadata(webClient);
    }
    const allowed = agent.authMethods.filter((method) => spec.authMethods.includes(method));
    const requested = requestedAuthMethod(currentRequest.getStore());
    const registered =
      requested !== undefined && allowed.includes(requested)
        ? requested
        : requested !== undefined && secretMethods.includes(requested)
          ? allowed.find((method) => secretMethods.includes(method))
          : undefined;
    // A method the vendor or client does not allow registers another one: oidc-provider then
    // refuses the mismatch, as the vendor would.
    const method =
      registered ?? allowed.find((candidate) => candidate !== requested) ?? 'client_secret_basic';
    return {
      client_id: agent.clientId,
      client_secret: agent.clientSecret,
      grant_types: [
        'client_credentials',
        ...(emulation.tokenExchange === undefined
          ? []
          : [emulation.tokenExchange.grantType ?? tokenExchangeGrantType]),
      ],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: method,
      ...(method === 'private_key_jwt' && agent.publicJwk
        ? { jwks: { keys: [registeredCredential(agent.publicJwk)] } }
        : {}),
    };
  }

  async function extraTokenClaims(
    ctx: KoaContextWithOIDC,
    token: { clientId?: string },
  ): Promise<Record<string, unknown> | undefined> {
    const agent = directory.agent(token.clientId ?? '');
    if (agent === undefined || agent.kind === 'directory-reader') return undefined;
    const request = {
      agent,
      scopes: requestedScopes(ctx),
      body: requestBody(ctx),
      assertionClaims: assertionClaims.get(ctx),
    };
    const scopeRefusal = emulation.scopeRefusal(request, fixture);
    if (scopeRefusal !== undefined) refuse(ctx, { kind: 'invalid_scope', description: scopeRefusal });
    const approval = preApproval(request);
    if ('refusal' in approval) refuse(ctx, approval.refusal);
    return approval.claims;
  }

  async function defaultResource(ctx: KoaContextWithOIDC): Promise<string | undefined> {
    // A web application's sign-in gets an opaque access token for userinfo, no API audience.
    if (isWebClient(ctx.oidc.client?.clientId)) return undefined;
    const resource = emulation.resource({ scopes: requestedScopes(ctx), body: requestBody(ctx) }, fixture);
    return typeof resource === 'string' ? resource : refuse(ctx, resource);
  }

  async function assertClientAssertion(
    ctx: KoaContextWithOIDC,
    claims: Record<string, unknown>,
    header: Record<string, unknown>,
    client: { clientId: string },
  ): Promise<void> {
    if (claims.sub !== client.clientId)
      throw new errors.InvalidClientAuth('sub (JWT subject) must be the client_id');
    const audience = claims.aud;
    const audiences = Array.isArray(audience) ? audience : [audience];
    switch (spec.assertionAudience) {
      case 'one-of-issuer-or-endpoints':
        if (Array.isArray(audience)) throw new errors.InvalidClientAuth('multiple audiences are not allowed');
        break;
      case 'token-url':
        if (audiences.length !== 1 || audiences[0] !== tokenUrl) {
          throw new errors.InvalidClientAuth('audience (aud) must be the token endpoint URL');
        }
        break;
      case 'issuer':
        if (audiences.length !== 1 || audiences[0] !== issuer) {
          throw new errors.InvalidClientAuth('audience (aud) must be the tenant issuer URL');
        }
        break;
    }
    const failure = emulation.assertionFailure({
      header,
      claims,
      clientId: client.clientId,
      agent: directory.agent(client.clientId),
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    if (typeof failure === 'string') throw new errors.InvalidClientAuth(failure);
    if (failure !== undefined) {
      refusals.set(ctx, failure);
      throw new errors.InvalidClientAuth(failure.description);
    }
    assertionClaims.set(ctx, claims);
  }

  const provider = new Provider(issuer, {
    adapter: providerStorageAdapter(vendor, storage, clientMetadata),
    clientAuthMethods: [...spec.authMethods],
    enabledJWA: { clientAuthSigningAlgValues: supportedAlgorithms as never },
    clockTolerance: spec.clockToleranceSeconds,
    jwks: { keys: options.signingKeys as never },
    routes: { token: spec.routes.token, jwks: spec.routes.jwks },
    scopes: [...fixture.api.scopes, 'profile', 'email'],
    responseTypes: ['none'],
    cookies: { keys: ['dual-auth-embedded-idp-cookie-key'] },
    // Every artefact has an explicit lifetime (oidc-provider warns about each default it uses).
    ttl: {
      ClientCredentials: () => spec.accessTokenTtlSeconds,
      AccessToken: () => spec.accessTokenTtlSeconds,
      AuthorizationCode: () => 60,
      IdToken: () => 3600,
      Interaction: () => 600,
      Session: () => 3600,
      Grant: () => 3600,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: false },
      revocation: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: defaultResource as never,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx: KoaContextWithOIDC, resourceIndicator: string) => {
          if (resourceIndicator !== fixture.api.identifier) {
            refusals.set(ctx, {
              kind: 'invalid_target',
              description: emulation.unknownResourceText(resourceIndicator, fixture),
            });
            throw new errors.InvalidTarget();
          }
          return {
            scope: fixture.api.scopes.join(' '),
            audience: emulation.audience(fixture),
            accessTokenFormat: 'jwt',
            accessTokenTTL: spec.accessTokenTtlSeconds,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    extraTokenClaims: extraTokenClaims as never,
    formats: {
      customizers: {
        jwt: async (
          ctx: KoaContextWithOIDC,
          token: { clientId?: string },
          jwt: { header: Record<string, unknown> | undefined; payload: Record<string, unknown> },
        ) => {
          const shape = tokenShapes.get(ctx);
          if (shape !== undefined) {
            const shaped = shape(jwt.header, jwt.payload);
            jwt.header = shaped.header;
            jwt.payload = shaped.payload;
            return jwt;
          }
          const agent = directory.agent(token.clientId ?? '');
          if (agent === undefined) return jwt;
          const shaped = emulation.shapeAccessToken(
            {
              agent,
              fixture,
              audience: String(jwt.payload.aud ?? fixture.api.identifier),
              clientAddress: ctx.ip ?? '127.0.0.1',
              authMethod: ctx.oidc.client?.clientAuthMethod as ClientAuthMethod | undefined,
            },
            jwt.header,
            jwt.payload,
          );
          jwt.header = shaped.header;
          jwt.payload = shaped.payload;
          return jwt;
        },
      },
    },
    assertJwtClientAuthClaimsAndHeader: assertClientAssertion,
    ...(humanLogin ? humanLoginConfiguration(emulation, directory, mount) : {}),
  } as never);

  registerExchangeGrants(provider, {
    emulation,
    directory,
    issuer,
    signingKeys: options.signingKeys,
    webClients,
    refuse,
    shapeWith: (ctx, shape) => tokenShapes.set(ctx, shape),
  });

  if (humanLogin) provider.use(loginInteraction(provider, { vendor, mount, directory }) as never);

  provider.on('grant.error', (ctx: KoaContextWithOIDC, error: Error) => providerErrors.set(ctx, error));
  provider.on('server_error', (ctx: KoaContextWithOIDC, error: Error) => providerErrors.set(ctx, error));

  provider.use(async (ctx, next) => {
    await currentRequest.run(ctx as KoaContextWithOIDC, next);
    const oidcContext = ctx as KoaContextWithOIDC;
    if (oidcContext.oidc?.route !== 'token') return;
    options.onTokenRequest();
    const params = oidcContext.oidc.params as Record<string, unknown> | undefined;
    // A web application's code exchange is answered as oidc-provider (standard OAuth) answers it.
    if (humanLogin && (isWebClient(oidcContext.oidc.client?.clientId) || isWebClient(params?.client_id)))
      return;
    for (const [name, value] of Object.entries(emulation.tokenResponseHeaders?.(Date.now()) ?? {})) {
      ctx.set(name, value);
    }
    const body = ctx.body as Record<string, unknown> | undefined;
    if (ctx.status === 200 && typeof body?.access_token === 'string') {
      if (!tokenShapes.has(ctx)) ctx.body = emulation.tokenResponse(body);
      return;
    }
    if (ctx.status < 400) return;
    const refusal = refusals.get(ctx) ?? classifyProviderError(oidcContext, providerErrors.get(ctx));
    const clientId = oidcContext.oidc.client?.clientId ?? params?.client_id;
    const shaped =
      refusal.answer ??
      emulation.refusalResponse(refusal, {
        fixture,
        ...(typeof clientId === 'string' ? { clientId } : {}),
      });
    ctx.status = shaped.status;
    ctx.body = shaped.body;
    for (const [name, value] of Object.entries(shaped.headers ?? {})) ctx.set(name, value);
  });

  return provider;
}
