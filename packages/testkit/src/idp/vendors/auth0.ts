/**
 * Auth0's rules, as the embedded Auth0 profile emulates them. Each names its source; what could
 * not be confirmed is said in docs/vendor-fidelity.md ("Auth0"), beside the test that pins it.
 */
import { jsonRateLimitResponse, rateLimitResetSeconds } from '../rate-limit-response.ts';
import { splitAccessTokenClaims } from '../split-access-token-claims.ts';
import { stableGuid, stableHex } from '../stable-guid.ts';
import { oauthError, type ShapedResponse } from '../token-refusal.ts';
import type { AgentFixture } from '../types.ts';
import type { VendorEmulation } from '../vendor-emulation.ts';
import {
  auth0DenialResponse,
  createCredentialsExchangeAction,
  runCredentialsExchangeAction,
} from './auth0-action.ts';
import { auth0DirectGrant, auth0TokenExchange } from './auth0-token-exchange.ts';

export {
  type Auth0DenyCode,
  auth0DenialResponse,
  auth0DenyCode,
  auth0KeepsCustomClaim,
  auth0RestrictedClaims,
} from './auth0-action.ts';

/**
 * The scopes of an agent's client grant for the API. The fixture's agent roles are its Auth0
 * permissions (`AgentFixture.roles`): the emulated API defines them beside its scopes, and each
 * agent's grant holds the API's scopes and the agent's roles.
 *
 * @example
 * ```ts
 * auth0ClientGrantScopes(['finance.read'], agent); // ['finance.read', 'FinanceAgent']
 * ```
 */
export function auth0ClientGrantScopes(
  apiScopes: readonly string[],
  agent: Pick<AgentFixture, 'roles'>,
): readonly string[] {
  return [...new Set([...apiScopes, ...agent.roles])];
}

/**
 * Why Auth0 refuses the requested scopes, or `undefined`: a scope outside the client grant is
 * refused (403 `access_denied`, "Client has not been granted scopes: …", as Auth0 tenants answer;
 * seen in Auth0's own example logs, not on a documentation page).
 *
 * @example
 * ```ts
 * auth0ScopeRefusal(['payroll.admin'], ['finance.read']); // 'Client has not been granted scopes: payroll.admin'
 * ```
 */
export function auth0ScopeRefusal(
  requested: readonly string[],
  granted: readonly string[],
): string | undefined {
  const missing = requested.filter((scope) => !granted.includes(scope));
  return missing.length === 0 ? undefined : `Client has not been granted scopes: ${missing.join(' ')}`;
}

/**
 * The claims of an Auth0 client-credentials access token (`access_token_authz` dialect: RBAC with
 * "Add Permissions in the Access Token"). `scope` holds every scope of the client grant whatever was
 * requested ("the scopes returned will always be the full set of authorized scopes for the M2M
 * app. This is true even if a subset of the available scopes were requested":
 * https://support.auth0.com/center/s/article/Fetching-an-M2M-token-returns-all-granted-scopes-permissions-instead-of-requested-scopes),
 * and `permissions` the same set as an array
 * (https://auth0.com/docs/get-started/apis/enable-role-based-access-control-for-apis).
 * `sub` is `{client_id}@clients`, `gty` `client-credentials`, `azp` the client id.
 *
 * @example
 * ```ts
 * const payload = auth0AccessTokenClaims({ issuer, clientId: 'agent', audience, grantScopes, iat, exp, extra: {} });
 * ```
 */
export function auth0AccessTokenClaims(token: {
  readonly issuer: unknown;
  readonly clientId: string;
  readonly audience: string;
  readonly grantScopes: readonly string[];
  readonly iat: unknown;
  readonly exp: unknown;
  readonly extra: Readonly<Record<string, unknown>>;
}): Record<string, unknown> {
  return {
    iss: token.issuer,
    sub: `${token.clientId}@clients`,
    aud: token.audience,
    iat: token.iat,
    exp: token.exp,
    ...(token.grantScopes.length > 0 ? { scope: token.grantScopes.join(' ') } : {}),
    gty: 'client-credentials',
    azp: token.clientId,
    permissions: [...token.grantScopes],
    ...token.extra,
  };
}

function accessTokenScope(accessToken: unknown): string | undefined {
  if (typeof accessToken !== 'string') return undefined;
  try {
    const payload = JSON.parse(
      Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as {
      scope?: unknown;
    };
    return typeof payload.scope === 'string' ? payload.scope : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Auth0's successful token response: `access_token`, `scope` (the token's, so every granted scope),
 * `expires_in`, `token_type` Bearer.
 *
 * @example
 * ```ts
 * ctx.body = auth0TokenResponse(ctx.body);
 * ```
 */
export function auth0TokenResponse(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const scope = accessTokenScope(body.access_token);
  return {
    access_token: body.access_token,
    ...(scope === undefined ? {} : { scope }),
    expires_in: body.expires_in,
    token_type: 'Bearer',
  };
}

/** The client-assertion rules of "Authenticate with Private Key JWT" (see below), in seconds. */
const assertionRules = { maximumLifetime: 300, clockSkew: 10 } as const;

/**
 * Why Auth0 refuses a `private_key_jwt` assertion's times, or `undefined`: `exp` is required, `iat`
 * and `nbf` optional ("A clock skew of up to 10 seconds is allowed for iat and nbf"), and "Auth0
 * supports a maximum of 5 minutes for the lifetime of a token" (counted from `iat`, or from now
 * without one):
 * https://auth0.com/docs/get-started/authentication-and-authorization-flow/authenticate-with-private-key-jwt
 *
 * @example
 * ```ts
 * auth0AssertionTimingFailure({ exp: now + 600 }, now); // 'client_assertion lifetime must not exceed 300 seconds'
 * ```
 */
export function auth0AssertionTimingFailure(
  claims: Readonly<Record<string, unknown>>,
  nowSeconds: number,
): string | undefined {
  const { exp, iat, nbf } = claims;
  if (typeof exp !== 'number') return 'exp must be provided in the client_assertion JWT';
  if (iat !== undefined && typeof iat !== 'number') return 'iat must be a number';
  if (nbf !== undefined && typeof nbf !== 'number') return 'nbf must be a number';
  if (typeof iat === 'number' && iat > nowSeconds + assertionRules.clockSkew)
    return 'iat must not be in the future';
  if (typeof nbf === 'number' && nbf > nowSeconds + assertionRules.clockSkew)
    return 'the client_assertion is not yet valid (nbf)';
  if (exp - (typeof iat === 'number' ? iat : nowSeconds) > assertionRules.maximumLifetime)
    return `client_assertion lifetime must not exceed ${assertionRules.maximumLifetime} seconds`;
  return undefined;
}

// A private_key_jwt credential is RS256, RS384 or PS256 (Management API ClientCredentialAlgorithmEnum:
// "Supported algorithms: RS256,RS384,PS256"), and the assertion's `alg` "must match the algorithm
// specified when you created your application credential" ("Authenticate with Private Key JWT").
const auth0AssertionAlgorithms: readonly string[] = ['RS256', 'RS384', 'PS256'];

/**
 * Why Auth0 refuses a client assertion's algorithm: only RSA credentials exist (RS256, RS384, PS256),
 * so an EC or EdDSA signature matches none, and the assertion must use the algorithm its credential
 * was created with. The refusal texts are ours (Auth0 documents none).
 *
 * @example
 * ```ts
 * auth0AssertionAlgorithmFailure({ alg: 'ES256' }); // 'client_assertion alg ES256 is not RS256, RS384 or PS256'
 * ```
 */
export function auth0AssertionAlgorithmFailure(
  header: Readonly<Record<string, unknown>>,
  credentialAlg?: unknown,
): string | undefined {
  const alg = String(header.alg);
  if (!auth0AssertionAlgorithms.includes(alg))
    return `client_assertion alg ${alg} is not RS256, RS384 or PS256`;
  if (typeof credentialAlg === 'string' && credentialAlg !== alg)
    return `client_assertion alg ${alg} does not match the credential's ${credentialAlg}`;
  return undefined;
}

/**
 * The Auth0 profile: a tenant at `/` (its issuer with the trailing slash), a custom API whose
 * client grants hold its scopes and the agents' roles, and the credentials-exchange Action
 * dual-auth ships.
 *
 * @example
 * ```ts
 * auth0Emulation.spec.issuer('https://127.0.0.1:8443', defaultIdpFixture()); // 'https://127.0.0.1:8443/'
 * ```
 */
export const auth0Emulation: VendorEmulation = {
  vendor: 'auth0',
  spec: {
    mount: () => '',
    issuer: (baseUrl) => `${baseUrl}/`,
    routes: { token: '/oauth/token', jwks: '/.well-known/jwks.json' },
    loginRoutes: { authorization: '/authorize', userinfo: '/userinfo' },
    authMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    assertionAudience: 'issuer',
    // "A clock skew of up to 10 seconds is allowed for iat and nbf" (auth0AssertionTimingFailure).
    clockToleranceSeconds: 10,
    accessTokenTtlSeconds: 86_400,
    directoryPath: () => '/api/v2',
  },
  userId: (fixtureId) => `auth0|${stableHex(`auth0:user:${fixtureId}`).slice(0, 32)}`,
  audience: (fixture) => fixture.api.identifier,
  requestScopes: (fixture) => [...fixture.api.scopes],
  // Auth0's `audience` form parameter (oidc-provider strips it from the parsed parameters).
  resource({ body }) {
    const { audience } = body;
    return typeof audience === 'string' && audience.length > 0
      ? audience
      : {
          kind: 'invalid_target',
          description: 'No audience parameter was provided, and no default audience has been configured',
        };
  },
  unknownResourceText: (resource) => `Service not found: ${resource}`,
  assertionFailure: ({ header, claims, nowSeconds, agent }) =>
    auth0AssertionAlgorithmFailure(header, agent?.publicJwk?.alg) ??
    auth0AssertionTimingFailure(claims, nowSeconds),
  scopeRefusal: ({ agent, scopes }, fixture) =>
    auth0ScopeRefusal(scopes, auth0ClientGrantScopes(fixture.api.scopes, agent)),
  preApproval({ directory, hooks }) {
    const { fixture } = directory;
    const action =
      hooks.auth0Action ??
      createCredentialsExchangeAction({
        claimNamespace: fixture.auth0ActClaim.replace(/act$/, ''),
        agentRole: fixture.agentRole,
        directory,
      });
    return function auth0CredentialsExchange({ agent, body, scopes }) {
      const result = runCredentialsExchangeAction(action, {
        request: { body },
        client: { client_id: agent.clientId, name: agent.clientId },
        resource_server: { identifier: fixture.api.identifier },
        transaction: { requested_scopes: scopes },
      });
      if (!('denied' in result)) return { claims: result.claims };
      const denial = auth0DenialResponse(result.denied);
      return {
        refusal: {
          kind: 'other',
          description: denial.body.error_description,
          error: denial.body.error,
          status: denial.status,
        },
      };
    };
  },
  shapeAccessToken({ agent, audience, fixture }, header, payload) {
    const { iss, iat, exp, extra } = splitAccessTokenClaims(payload);
    return {
      header: { ...header, typ: 'JWT' },
      payload: auth0AccessTokenClaims({
        issuer: iss,
        clientId: agent.clientId,
        audience,
        grantScopes: auth0ClientGrantScopes(fixture.api.scopes, agent),
        iat,
        exp,
        extra,
      }),
    };
  },
  tokenResponse: (body) => auth0TokenResponse(body),
  tokenResponseHeaders: (now) => ({
    'x-ratelimit-limit': '30',
    'x-ratelimit-remaining': '29',
    'x-ratelimit-reset': rateLimitResetSeconds(now, 1),
  }),
  refusalResponse(refusal): ShapedResponse {
    const { kind, description } = refusal;
    switch (kind) {
      case 'unknown_client':
      case 'bad_client_secret':
      case 'bad_client_assertion':
      case 'unsupported_auth_method':
        return oauthError(401, 'access_denied', 'Unauthorized');
      case 'agent_not_approved':
      case 'human_not_approved':
      case 'invalid_scope':
      case 'invalid_target':
        return oauthError(403, 'access_denied', description);
      default:
        return oauthError(refusal.status ?? 400, refusal.error ?? 'invalid_request', description);
    }
  },
  // `x-ratelimit-limit`, `x-ratelimit-remaining`, `x-ratelimit-reset` (epoch seconds), no
  // `Retry-After` (Auth0 "Rate Limit Policy").
  rateLimitResponse: (waitSeconds, now) =>
    jsonRateLimitResponse(
      { error: 'too_many_requests', error_description: 'Global limit has been reached' },
      {
        'x-ratelimit-limit': '30',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': rateLimitResetSeconds(now, waitSeconds),
      },
    ),
  humanClaims: (_directory, human) => ({
    sub: human.id,
    nickname: human.email.split('@')[0],
    email: human.email,
    email_verified: true,
    name: human.name,
  }),
  directoryRoutes: [
    {
      // GET /api/v2/users/{id}/roles (Management API).
      pattern: /^\/users\/([^/]+)\/(?:effective-)?roles$/,
      body: (_directory, human) =>
        human.roles.map((name) => ({
          id: `rol_${stableGuid(name).replace(/-/g, '').slice(0, 16)}`,
          name,
          description: `${name} role`,
        })),
    },
  ],
  // On-Behalf-Of token exchange and the password grant for humans' tokens: auth0-token-exchange.ts.
  directGrant: auth0DirectGrant,
  tokenExchange: auth0TokenExchange,
};
