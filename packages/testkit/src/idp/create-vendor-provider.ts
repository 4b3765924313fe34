import { AsyncLocalStorage } from 'node:async_hooks';
import type { JWK } from 'jose';
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { Directory } from './directory.ts';
import { entraPairwiseSubject, humanIdTokenClaims } from './human-claims.ts';
import { mapKeycloakAct } from './keycloak-act-mapper.ts';
import { keycloakAssertionTimingFailure } from './keycloak-client-assertion.ts';
import { loginInteraction, loginInteractionPath } from './login-interaction.ts';
import type { MemoryStorage } from './memory-storage.ts';
import { shapeAccessToken } from './shape-access-token.ts';
import { type Refusal, type RefusalKind, shapeRefusal, shapeTokenSuccess } from './shape-responses.ts';
import type { ClientAuthMethod, WebClientFixture } from './types.ts';
import type { VendorSpec } from './vendor-specs.ts';
import {
  auth0AssertionTimingFailure,
  auth0ClientGrantScopes,
  auth0DenialResponse,
  auth0ScopeRefusal,
} from './vendors/auth0.ts';
import {
  type CredentialsExchangeApi,
  type CredentialsExchangeEvent,
  createCredentialsExchangeAction,
  runCredentialsExchangeAction,
} from './vendors/auth0-action.ts';
import {
  entraApiApplicationId,
  entraAssertionRefusal,
  entraResourceOfScopes,
  entraScopeRefusalText,
} from './vendors/entraid.ts';
import { oktaAssertionTimingFailure, oktaScopeRefusal } from './vendors/okta.ts';

/** An Auth0 credentials-exchange Action, as the embedded Auth0 profile runs it. */
export type CredentialsExchangeAction = (
  event: CredentialsExchangeEvent,
  api: CredentialsExchangeApi,
) => void;

export interface VendorProviderOptions {
  readonly spec: VendorSpec;
  readonly baseUrl: string;
  readonly directory: Directory;
  readonly signingKeys: readonly JWK[];
  readonly storage: MemoryStorage;
  readonly auth0Action?: CredentialsExchangeAction;
  /** `false`: the Keycloak realm has no act mapper, so no human reaches the token. */
  readonly keycloakActMapper?: false;
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
const providerErrors = new WeakMap<
  object,
  Error & { error?: string; error_detail?: string; error_description?: string }
>();

const supportedAlgorithms = ['HS256', 'HS384', 'HS512', 'RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];

function refuse(ctx: object, kind: RefusalKind, description: string): never {
  refusals.set(ctx, { kind, description });
  throw new errors.AccessDenied(description);
}

function requestedAuthMethod(ctx: KoaContextWithOIDC | undefined): ClientAuthMethod | undefined {
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

function classifyProviderError(
  ctx: KoaContextWithOIDC,
  error: (Error & { error?: string; error_detail?: string; error_description?: string }) | undefined,
): Refusal {
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

/** One oidc-provider instance configured to behave like one vendor (the vendor profiles in the testkit README). */
export function createVendorProvider(options: VendorProviderOptions): Provider {
  const { spec, directory, storage } = options;
  const { fixture } = directory;
  const vendor = spec.vendor;
  const issuer = spec.issuer(options.baseUrl, fixture);
  const tokenUrl = `${options.baseUrl}${spec.mount(fixture)}${spec.routes.token}`;
  const auth0Action =
    options.auth0Action ??
    createCredentialsExchangeAction({
      claimNamespace: fixture.auth0ActClaim.replace(/act$/, ''),
      agentRole: fixture.agentRole,
      directory,
    });

  const webClients = new Map((options.webClients ?? []).map((client) => [client.clientId, client]));
  const humanLogin = webClients.size > 0;
  const isWebClient = (clientId: unknown): boolean =>
    typeof clientId === 'string' && directory.agent(clientId) === undefined && webClients.has(clientId);

  function webClientMetadata(client: WebClientFixture): Record<string, unknown> {
    const requested = requestedAuthMethod(currentRequest.getStore());
    return {
      client_id: client.clientId,
      client_secret: client.clientSecret,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [...client.redirectUris],
      token_endpoint_auth_method: requested === 'client_secret_post' ? requested : 'client_secret_basic',
      // Entra ID's `sub` is pairwise (per application); its `oid` is the user's object id.
      ...(vendor === 'entraid' ? { subject_type: 'pairwise' } : {}),
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
    const secretMethods: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post'];
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
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: method,
      ...(method === 'private_key_jwt' && agent.publicJwk ? { jwks: { keys: [agent.publicJwk] } } : {}),
    };
  }

  class StorageAdapter {
    readonly #name: string;
    constructor(name: string) {
      this.#name = name;
    }
    #key(id: string): string {
      return `${vendor}:${this.#name}:${id}`;
    }
    async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void> {
      storage.set(this.#key(id), payload, expiresIn);
      if (this.#name === 'Session' && typeof payload.uid === 'string') {
        storage.set(`${vendor}:SessionUid:${payload.uid}`, { id }, expiresIn);
      }
    }
    async find(id: string): Promise<Record<string, unknown> | undefined> {
      return this.#name === 'Client' ? clientMetadata(id) : storage.get(this.#key(id));
    }
    async findByUserCode(): Promise<undefined> {
      return undefined;
    }
    async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
      const id = storage.get(`${vendor}:SessionUid:${uid}`)?.id;
      return typeof id === 'string' ? storage.get(this.#key(id)) : undefined;
    }
    async consume(id: string): Promise<void> {
      const payload = storage.get(this.#key(id));
      if (payload) storage.set(this.#key(id), { ...payload, consumed: Math.floor(Date.now() / 1000) }, 60);
    }
    async destroy(id: string): Promise<void> {
      storage.delete(this.#key(id));
    }
    async revokeByGrantId(): Promise<void> {}
  }

  function requestedScopes(ctx: KoaContextWithOIDC): string[] {
    const scope = (ctx.oidc.params as Record<string, unknown> | undefined)?.scope;
    return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
  }

  function checkScopes(ctx: KoaContextWithOIDC, clientId: string): void {
    const scopes = requestedScopes(ctx);
    const offered = new Set(fixture.api.scopes);
    const unknown = scopes.filter((scope) => !offered.has(scope));
    switch (vendor) {
      case 'keycloak': {
        const invalid = unknown.filter((scope) => !['openid', 'profile', 'email'].includes(scope));
        if (invalid.length > 0) refuse(ctx, 'invalid_scope', invalid.join(' '));
        return;
      }
      case 'auth0': {
        const agent = directory.agent(clientId);
        const refusal = auth0ScopeRefusal(
          scopes,
          auth0ClientGrantScopes(fixture.api.scopes, agent ?? { roles: [] }),
        );
        if (refusal !== undefined) refuse(ctx, 'invalid_scope', refusal);
        return;
      }
      case 'okta': {
        const refusal = oktaScopeRefusal(scopes, fixture.api.scopes);
        if (refusal !== undefined) refuse(ctx, 'invalid_scope', refusal);
        return;
      }
      case 'entraid':
        return void clientId;
    }
  }

  async function extraTokenClaims(
    ctx: KoaContextWithOIDC,
    token: { clientId?: string },
  ): Promise<Record<string, unknown> | undefined> {
    const agent = directory.agent(token.clientId ?? '');
    if (agent === undefined || agent.kind === 'directory-reader') return undefined;
    checkScopes(ctx, agent.clientId);
    const hasAgentRole = agent.roles.includes(fixture.agentRole);
    switch (vendor) {
      case 'keycloak': {
        // Keycloak has no pre-approval step that can fail a client_credentials request: an agent
        // without the role gets a token without it in realm_access, and the mapper, which cannot
        // fail the request either, marks a refused human with dual_auth_refusal instead of act
        // (as Keycloak 26.7.3 does: apps/e2e/test/real-keycloak/differential.test.ts).
        if (options.keycloakActMapper === false) return undefined;
        const outcome = mapKeycloakAct(assertionClaims.get(ctx), agent.clientId, directory);
        return outcome.kind === 'none' ? undefined : outcome.claims;
      }
      case 'auth0': {
        const body = (ctx.oidc.body ?? {}) as Record<string, unknown>;
        const result = runCredentialsExchangeAction(auth0Action, {
          request: { body },
          client: { client_id: agent.clientId, name: agent.clientId },
          resource_server: { identifier: fixture.api.identifier },
          transaction: { requested_scopes: requestedScopes(ctx) },
        });
        if ('denied' in result) {
          const { status, body } = auth0DenialResponse(result.denied);
          refusals.set(ctx, {
            kind: 'other',
            description: body.error_description,
            error: body.error,
            status,
          });
          throw new errors.AccessDenied(body.error_description);
        }
        return result.claims;
      }
      case 'okta':
        // The agent role stands for an access-policy rule of this server that lists the client,
        // the client_credentials grant and every requested scope; without one Okta answers
        // no_matching_policy (vendors/okta.ts).
        if (!hasAgentRole) refuse(ctx, 'agent_not_approved', 'no access policy rule matches this client');
        return undefined;
      case 'entraid':
        if (!hasAgentRole) {
          refuse(
            ctx,
            'agent_not_approved',
            `Application '${agent.clientId}' is not assigned to a role for the application '${fixture.api.identifier}'.`,
          );
        }
        return undefined;
    }
  }

  async function defaultResource(ctx: KoaContextWithOIDC): Promise<string | undefined> {
    // A web application's sign-in gets an opaque access token for userinfo, no API audience.
    if (isWebClient(ctx.oidc.client?.clientId)) return undefined;
    switch (vendor) {
      case 'auth0': {
        const audience = (ctx.oidc.body as Record<string, unknown> | undefined)?.audience;
        if (typeof audience !== 'string' || audience.length === 0) {
          refuse(
            ctx,
            'invalid_target',
            'No audience parameter was provided, and no default audience has been configured',
          );
        }
        return audience;
      }
      case 'entraid': {
        const scopes = requestedScopes(ctx);
        const resource = entraResourceOfScopes(scopes);
        if (resource === undefined) {
          refusals.set(ctx, { kind: 'invalid_scope', description: entraScopeRefusalText(scopes) });
          throw new errors.InvalidScope('scope must be {resource}/.default', scopes.join(' '));
        }
        return resource;
      }
      default:
        return fixture.api.identifier;
    }
  }

  const mount = spec.mount(fixture);
  // Human sign-in (only with web clients): the vendor's authorization path, the test login page,
  // PKCE always, the signed-in human's claims in the ID token as the vendors put them there.
  const humanLoginConfiguration = humanLogin
    ? {
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
        subjectTypes: vendor === 'entraid' ? ['public', 'pairwise'] : ['public'],
        pairwiseIdentifier: async (
          _ctx: KoaContextWithOIDC,
          accountId: string,
          client: { clientId: string },
        ) => entraPairwiseSubject(fixture.entraTenantId, client.clientId, accountId),
        findAccount: async (_ctx: KoaContextWithOIDC, accountId: string) => {
          const human = directory.human(accountId);
          if (human === undefined) return undefined;
          return {
            accountId,
            claims: async () => humanIdTokenClaims(directory, human),
          };
        },
      }
    : {};

  const provider = new Provider(issuer, {
    adapter: StorageAdapter,
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
              description:
                vendor === 'entraid'
                  ? `The resource principal named ${resourceIndicator} was not found in the tenant named ${fixture.entraTenantId}.`
                  : `Service not found: ${resourceIndicator}`,
            });
            throw new errors.InvalidTarget();
          }
          return {
            scope: fixture.api.scopes.join(' '),
            audience: vendor === 'entraid' ? entraApiApplicationId(fixture.api) : resourceIndicator,
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
          const agent = directory.agent(token.clientId ?? '');
          if (agent === undefined) return jwt;
          const shaped = shapeAccessToken(
            {
              vendor,
              agent,
              apiScopes: fixture.api.scopes,
              audience: String(jwt.payload.aud ?? fixture.api.identifier),
              tenantId: fixture.entraTenantId,
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
    assertJwtClientAuthClaimsAndHeader: async (
      ctx: KoaContextWithOIDC,
      claims: Record<string, unknown>,
      header: Record<string, unknown>,
      client: { clientId: string },
    ) => {
      if (claims.sub !== client.clientId)
        throw new errors.InvalidClientAuth('sub (JWT subject) must be the client_id');
      const audience = claims.aud;
      const audiences = Array.isArray(audience) ? audience : [audience];
      switch (spec.assertionAudience) {
        case 'one-of-issuer-or-endpoints':
          if (Array.isArray(audience))
            throw new errors.InvalidClientAuth('multiple audiences are not allowed');
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
      if (vendor === 'keycloak') {
        const failure = keycloakAssertionTimingFailure(claims, Math.floor(Date.now() / 1000));
        if (failure !== undefined) throw new errors.InvalidClientAuth(failure);
        assertionClaims.set(ctx, claims);
        return;
      }
      if (vendor === 'entraid') {
        const entra = entraAssertionRefusal({
          header,
          claims,
          clientId: client.clientId,
          publicJwk: directory.agent(client.clientId)?.publicJwk,
        });
        if (entra !== undefined) {
          refusals.set(ctx, { kind: 'bad_client_assertion', description: entra.text, entra });
          throw new errors.InvalidClientAuth(entra.text);
        }
        assertionClaims.set(ctx, claims);
        return;
      }
      if (vendor === 'okta') {
        const failure = oktaAssertionTimingFailure(claims, Math.floor(Date.now() / 1000));
        if (failure !== undefined) throw new errors.InvalidClientAuth(failure);
        assertionClaims.set(ctx, claims);
        return;
      }
      if (vendor === 'auth0') {
        const failure = auth0AssertionTimingFailure(claims, Math.floor(Date.now() / 1000));
        if (failure !== undefined) throw new errors.InvalidClientAuth(failure);
        assertionClaims.set(ctx, claims);
        return;
      }
      if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') {
        throw new errors.InvalidClientAuth('iat and exp must be provided in the client_assertion JWT');
      }
      if (claims.exp - claims.iat > spec.maximumAssertionLifetimeSeconds) {
        throw new errors.InvalidClientAuth(
          `client_assertion lifetime must not exceed ${spec.maximumAssertionLifetimeSeconds} seconds`,
        );
      }
      assertionClaims.set(ctx, claims);
    },
    ...humanLoginConfiguration,
  } as never);

  if (humanLogin) provider.use(loginInteraction(provider, { vendor, mount, directory }) as never);

  provider.on('grant.error', (ctx: KoaContextWithOIDC, error: Error) => providerErrors.set(ctx, error));
  provider.on('server_error', (ctx: KoaContextWithOIDC, error: Error) => providerErrors.set(ctx, error));

  provider.use(async (ctx, next) => {
    await currentRequest.run(ctx as KoaContextWithOIDC, next);
    const oidcContext = ctx as KoaContextWithOIDC;
    if (oidcContext.oidc?.route !== 'token') return;
    options.onTokenRequest();
    // A web application's code exchange is answered as oidc-provider (standard OAuth) answers it.
    if (
      humanLogin &&
      (isWebClient(oidcContext.oidc.client?.clientId) ||
        isWebClient((oidcContext.oidc.params as Record<string, unknown> | undefined)?.client_id))
    )
      return;
    if (vendor === 'auth0') {
      ctx.set('x-ratelimit-limit', '30');
      ctx.set('x-ratelimit-remaining', '29');
      ctx.set('x-ratelimit-reset', String(Math.floor(Date.now() / 1000) + 1));
    }
    const body = ctx.body as Record<string, unknown> | undefined;
    if (ctx.status === 200 && typeof body?.access_token === 'string') {
      ctx.body = shapeTokenSuccess(vendor, body);
      return;
    }
    if (ctx.status < 400) return;
    const refusal = refusals.get(ctx) ?? classifyProviderError(oidcContext, providerErrors.get(ctx));
    const clientId =
      oidcContext.oidc.client?.clientId ??
      (oidcContext.oidc.params as Record<string, unknown> | undefined)?.client_id;
    const shaped = shapeRefusal(vendor, refusal, {
      tenantId: fixture.entraTenantId,
      ...(typeof clientId === 'string' ? { clientId } : {}),
    });
    ctx.status = shaped.status;
    ctx.body = shaped.body;
    for (const [name, value] of Object.entries(shaped.headers ?? {})) ctx.set(name, value);
  });

  return provider;
}
