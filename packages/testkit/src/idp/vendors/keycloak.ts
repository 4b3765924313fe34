// Keycloak's emulation rules, in one place. Each names its source; docs/vendor-fidelity.md
// ("Keycloak") lists them with the tests that pin them, several against a real Keycloak 26.7.3
// (apps/e2e/test/real-keycloak/).
import { loginUsername } from '../login-human.ts';
import { splitAccessTokenClaims } from '../split-access-token-claims.ts';
import { stableGuid } from '../stable-guid.ts';
import { oauthError, type ShapedResponse } from '../token-refusal.ts';
import type { ClientAuthMethod } from '../types.ts';
import type { VendorEmulation } from '../vendor-emulation.ts';
import { mapKeycloakAct } from './keycloak-act-mapper.ts';
import {
  keycloakDirectGrant,
  keycloakTokenExchange,
  keycloakTokenResponse,
} from './keycloak-token-exchange.ts';

/**
 * Keycloak's client-assertion rules, as its `AbstractBaseJWTValidator.validateTokenActive`
 * (keycloak/keycloak, services/…/authenticators/client/AbstractBaseJWTValidator.java) applies them
 * and as Keycloak 26.7.3 answers them (apps/e2e/test/real-keycloak/differential.test.ts): a 15 s
 * clock skew; an `iat` more than the skew in the future is refused; an assertion is usable for the
 * client's `token.endpoint.auth.signing.max.exp` (default 60 s) after its `iat`, whatever its `exp`;
 * without `iat`, `exp` may be at most that far away.
 */
export const keycloakAssertionRules = { clockSkewSeconds: 15, maximumAgeSeconds: 60 } as const;

/** Why Keycloak refuses these assertion claims, in its own words, or `undefined`. */
export function keycloakAssertionTimingFailure(
  claims: Record<string, unknown>,
  nowSeconds: number,
): string | undefined {
  const { clockSkewSeconds, maximumAgeSeconds } = keycloakAssertionRules;
  const { exp, iat } = claims;
  if (typeof exp !== 'number') return 'Token exp claim is required';
  if (typeof iat !== 'number') {
    return exp - nowSeconds > maximumAgeSeconds
      ? 'Token expiration is too far in the future and iat claim not present in token'
      : undefined;
  }
  if (iat - clockSkewSeconds > nowSeconds) return 'Token was issued in the future';
  // Keycloak takes min(exp - now, max age) as the remaining lifetime: no skew on exp then.
  if (exp - nowSeconds <= 0) return 'Token is not active';
  if (nowSeconds > iat + maximumAgeSeconds) return 'Token was issued too far in the past to be used now';
  return undefined;
}

// oidc-provider's words for the checks it makes itself, and Keycloak's for the same failure.
const keycloakWords: readonly [RegExp, string][] = [
  [/jwt expired|jwt not active|"exp" claim/i, 'Token is not active'],
  [/must only be used once/i, 'Token reuse detected'],
  [/audience|"aud"/i, 'Invalid token audience'],
  [/multiple audiences/i, 'Multiple audiences not allowed'],
];

/**
 * Keycloak's answer to a client assertion it refuses: 400 `invalid_client` with its validator's
 * description; a bad signature is 400 `unauthorized_client` for client_secret_jwt and
 * 400 `invalid_client` for private_key_jwt, each in its authenticator's words (as Keycloak 26.7.3
 * answers).
 */
export function keycloakAssertionRefusal(
  detail: string,
  authMethod: ClientAuthMethod | undefined,
): { status: number; error: string; description: string } {
  if (/signature/i.test(detail)) {
    return authMethod === 'client_secret_jwt'
      ? {
          status: 400,
          error: 'unauthorized_client',
          description:
            'Client authentication with client secret signed JWT failed: Signature on JWT token by client secret  failed validation',
        }
      : {
          status: 400,
          error: 'invalid_client',
          description:
            'Client authentication with signed JWT failed: Signature on JWT token failed validation',
        };
  }
  const known = keycloakWords.find(([pattern]) => pattern.test(detail));
  return { status: 400, error: 'invalid_client', description: known?.[1] ?? detail };
}

/** Scopes every Keycloak realm defines (client scopes), which a request may name besides the API's. */
const realmScopes: readonly string[] = ['openid', 'profile', 'email'];

function serviceAccountId(clientId: string): string {
  return stableGuid(`keycloak:service-account:${clientId}`);
}

/**
 * The Keycloak profile: a realm at `/realms/{realm}` whose service accounts get tokens by client
 * credentials, with the act protocol mapper dual-auth ships.
 *
 * @example
 * ```ts
 * keycloakEmulation.spec.issuer('https://127.0.0.1:8443', defaultIdpFixture()); // …/realms/dual-auth
 * ```
 */
export const keycloakEmulation: VendorEmulation = {
  vendor: 'keycloak',
  spec: {
    mount: (fixture) => `/realms/${fixture.realm}`,
    issuer: (baseUrl, fixture) => `${baseUrl}/realms/${fixture.realm}`,
    routes: { token: '/protocol/openid-connect/token', jwks: '/protocol/openid-connect/certs' },
    loginRoutes: {
      authorization: '/protocol/openid-connect/auth',
      userinfo: '/protocol/openid-connect/userinfo',
    },
    authMethods: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'],
    assertionAudience: 'one-of-issuer-or-endpoints',
    clockToleranceSeconds: 15,
    accessTokenTtlSeconds: 300,
    directoryPath: (fixture) => `/admin/realms/${fixture.realm}`,
  },
  userId: (fixtureId) => stableGuid(`keycloak:user:${fixtureId}`),
  audience: (fixture) => fixture.api.identifier,
  requestScopes: (fixture) => [...fixture.api.scopes],
  resource: (_request, fixture) => fixture.api.identifier,
  unknownResourceText: (resource) => `Service not found: ${resource}`,
  assertionFailure: ({ claims, nowSeconds }) => keycloakAssertionTimingFailure(claims, nowSeconds),
  scopeRefusal({ scopes }, fixture) {
    const invalid = scopes.filter(
      (scope) => !fixture.api.scopes.includes(scope) && !realmScopes.includes(scope),
    );
    return invalid.length > 0 ? invalid.join(' ') : undefined;
  },
  // Keycloak has no pre-approval step that can fail a client_credentials request: an agent without
  // the role gets a token without it in realm_access, and the mapper, which cannot fail the request
  // either, marks a refused human with dual_auth_refusal instead of act (as Keycloak 26.7.3 does:
  // apps/e2e/test/real-keycloak/differential.test.ts).
  preApproval: ({ directory, hooks }) =>
    function keycloakActMapper({ agent, assertionClaims }) {
      if (hooks.keycloakActMapper === false) return { claims: undefined };
      const outcome = mapKeycloakAct(assertionClaims, agent.clientId, directory);
      return { claims: outcome.kind === 'none' ? undefined : outcome.claims };
    },
  shapeAccessToken({ agent, audience, clientAddress }, header, payload) {
    const { iss, iat, exp, jti, scopes, extra } = splitAccessTokenClaims(payload);
    return {
      header: { ...header, typ: 'JWT' },
      payload: {
        exp,
        iat,
        jti,
        iss,
        // The audience mapper's API, and `account`: Keycloak adds the client whose roles the
        // service account holds (its default roles include account's manage-account, view-profile).
        aud: [audience, 'account'],
        sub: serviceAccountId(agent.clientId),
        typ: 'Bearer',
        azp: agent.clientId,
        acr: '1',
        realm_access: { roles: [...agent.roles, 'default-roles-dual-auth'] },
        resource_access: { account: { roles: ['manage-account', 'view-profile'] } },
        scope: ['profile', 'email', ...scopes].join(' '),
        clientHost: clientAddress,
        email_verified: false,
        preferred_username: `service-account-${agent.clientId}`,
        clientAddress,
        client_id: agent.clientId,
        ...extra,
      },
    };
  },
  tokenResponse: (body) => keycloakTokenResponse(body),
  refusalResponse(refusal): ShapedResponse {
    const { kind, description } = refusal;
    switch (kind) {
      case 'unknown_client':
        return oauthError(401, 'invalid_client', 'Invalid client or Invalid client credentials');
      case 'bad_client_secret':
        return oauthError(401, 'unauthorized_client', 'Invalid client or Invalid client credentials');
      case 'bad_client_assertion': {
        const answer = keycloakAssertionRefusal(description, refusal.authMethod);
        return oauthError(answer.status, answer.error, answer.description);
      }
      case 'unsupported_auth_method':
        return oauthError(
          400,
          'invalid_client',
          `Client authentication with signed JWT failed: ${description}`,
        );
      case 'agent_not_approved':
      case 'human_not_approved':
        return oauthError(400, 'access_denied', description);
      case 'invalid_scope':
        return oauthError(400, 'invalid_scope', `Invalid scopes: ${description}`);
      default:
        return oauthError(refusal.status ?? 400, refusal.error ?? 'invalid_request', description);
    }
  },
  // No built-in rate limiting (keycloak/keycloak#48389), so this is what a proxy in front of it
  // sends at the least: a bare 429 that announces no wait.
  rateLimitResponse: () => ({
    status: 429,
    headers: { 'content-type': 'text/plain' },
    body: 'Too Many Requests',
  }),
  humanClaims: (directory, human) => ({
    sub: human.id,
    preferred_username: loginUsername(directory, human.id) ?? human.email,
    email: human.email,
    email_verified: true,
    name: human.name,
  }),
  directGrant: keycloakDirectGrant,
  tokenExchange: keycloakTokenExchange,
  directoryRoutes: [
    {
      // GET /admin/realms/{realm}/users/{id}/role-mappings/realm[/composite] (Admin REST API).
      pattern: /^\/users\/([^/]+)\/role-mappings\/realm(?:\/composite)?$/,
      body: ({ fixture }, human) =>
        human.roles.map((name) => ({
          id: stableGuid(`role:${name}`),
          name,
          description: `${name} realm role`,
          composite: false,
          clientRole: false,
          containerId: stableGuid(`realm:${fixture.realm}`),
        })),
    },
  ],
};
