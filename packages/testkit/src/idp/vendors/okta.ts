// Okta's emulation rules, one place for all of them. Each is pinned by a test that names its source
// (packages/testkit/test/okta-emulation.test.ts) and listed in docs/vendor-fidelity.md ("## Okta").
// The error texts are Okta's own, from its OAuth 2.0 error catalogue: okta/okta-developer-docs,
// packages/@okta/vuepress-site/data/oauth2-error-codes.json (release 2026.08.1), the data behind
// https://developer.okta.com/docs/api/openapi/okta-oauth/guides/overview/#error-codes.
import { randomUUID } from 'node:crypto';
import { jsonRateLimitResponse, rateLimitResetSeconds } from '../rate-limit-response.ts';
import { splitAccessTokenClaims } from '../split-access-token-claims.ts';
import { stableGuid, stableHex } from '../stable-guid.ts';
import { oauthError, type Refusal, type ShapedResponse } from '../token-refusal.ts';
import type { VendorEmulation } from '../vendor-emulation.ts';
import { oktaNoMatchingPolicy, oktaScopeRefusal } from './okta-error-catalogue.ts';
import { oktaDirectGrant, oktaTokenExchange } from './okta-token-exchange.ts';

/**
 * Okta's client-assertion timing rules ("Build a self-signed JWT for client authentication",
 * docs/guides/build-self-signed-jwt): `exp` is required and may be at most one hour in the future;
 * `iat` is optional and, when present, must be before the request is received; `jti` is optional
 * (single-use when present). oidc-provider itself also requires `jti`, so the emulator is stricter
 * there. How much clock skew Okta tolerates is not documented; none is allowed here.
 */
export const oktaAssertionRules = { maximumExpiresInSeconds: 3600 } as const;

/** Okta's words for an assertion timing it refuses, or `undefined`. */
export function oktaAssertionTimingFailure(
  claims: Record<string, unknown>,
  nowSeconds: number,
): string | undefined {
  const { exp, iat } = claims;
  if (typeof exp !== 'number')
    return "The client_assertion must contain the 'exp' claim as seconds since epoch.";
  if (exp - nowSeconds > oktaAssertionRules.maximumExpiresInSeconds) {
    return 'The client_assertion token has an expiration too far into the future.';
  }
  if (iat !== undefined && (typeof iat !== 'number' || iat > nowSeconds)) {
    return 'The client_assertion token must be issued before the current time.';
  }
  return undefined;
}

// oidc-provider's (and the profile's own) words for an assertion failure, and Okta's for the same.
const oktaAssertionWords: readonly [RegExp, string][] = [
  [/^The client_assertion /, ''],
  [/must only be used once/i, 'The client_assertion token has already been used.'],
  [/jwt expired/i, 'The client_assertion token is expired.'],
  [
    /expiration must be specified/i,
    "The client_assertion must contain the 'exp' claim as seconds since epoch.",
  ],
  [
    /audience|\baud\b/i,
    'The audience claim for client_assertion must be the endpoint invoked for the request.',
  ],
  [/^iss \(JWT issuer\)/, 'The issuer claim for client_assertion is not a valid client_id.'],
  [/^sub \(JWT subject\)/, 'The subject claim for client_assertion is not a valid client_id.'],
  [/signature/i, 'The client_assertion signature is invalid.'],
  [/alg mismatch/i, 'The client_assertion JWT signature algorithm is invalid.'],
  [/JWT (?:malformed|format)|Invalid Compact JWS|decode/i, 'The parsing of the client_assertion failed.'],
];

/** Okta's description for a refused client assertion, from the failure's detail. */
export function oktaAssertionDescription(detail: string): string {
  const known = oktaAssertionWords.find(([pattern]) => pattern.test(detail));
  if (known === undefined) return detail;
  return known[1] === '' ? detail : known[1];
}

/** The answer Okta's custom authorization server gives for a refusal, in its shape and words. */
export function oktaRefusalResponse(refusal: Refusal): ShapedResponse {
  const { kind, description } = refusal;
  switch (kind) {
    case 'unknown_client':
      // The token endpoint answers an unknown client in Okta's API error shape, not OAuth's.
      return {
        status: 401,
        body: {
          errorCode: 'invalid_client',
          errorSummary: "Invalid value for 'client_id' parameter.",
          errorLink: 'invalid_client',
          errorId: `oae${randomUUID().replace(/-/g, '').slice(0, 19)}`,
          errorCauses: [],
        },
      };
    case 'bad_client_secret':
      return oauthError(
        401,
        'invalid_client',
        'The client secret supplied for a confidential client is invalid.',
      );
    case 'bad_client_assertion':
      return oauthError(401, 'invalid_client', oktaAssertionDescription(description));
    case 'unsupported_auth_method':
      return oauthError(
        401,
        'invalid_client',
        'Client authentication failed. Either the client or the client credentials are invalid.',
      );
    case 'agent_not_approved':
      return oauthError(
        oktaNoMatchingPolicy.status,
        oktaNoMatchingPolicy.error,
        oktaNoMatchingPolicy.description,
      );
    case 'invalid_scope':
      return oauthError(400, 'invalid_scope', description);
    case 'human_not_approved':
      return oauthError(403, 'access_denied', description);
    default:
      return oauthError(refusal.status ?? 400, refusal.error ?? 'invalid_request', description);
  }
}

/**
 * The claims of an Okta client-credentials access token (docs/concepts/oauth-claims, "Claims in
 * access tokens"; the OAuth API's "Reserved claims in the payload section"): `ver` 1, `jti` `AT.…`,
 * `iss`, `aud`, `iat`, `exp`, `cid` = the client id, `scp` = the granted scopes, `sub` = the client
 * id. No `uid` and no `groups`: the client-credentials flow never has a user context
 * (docs/guides/implement-grant-type, Client Credentials, "Create custom scopes"), and groups claims
 * filter a user's groups (docs/guides/customize-tokens-groups-claim). Custom claims an authorization
 * server defines (an expression such as `app.profile.agent_roles`) come after these.
 */
export function oktaAccessTokenPayload(input: {
  readonly payload: Record<string, unknown>;
  readonly clientId: string;
  readonly audience: string;
  readonly scopes: readonly string[];
  readonly customClaims: Record<string, unknown>;
}): Record<string, unknown> {
  const { iss, iat, exp, jti } = input.payload;
  // Never a user's claims in a client-credentials token, whatever a customizer added.
  const { groups: _groups, uid: _uid, ...customClaims } = input.customClaims;
  return {
    ver: 1,
    jti: `AT.${String(jti ?? randomUUID()).replace(/[^\w-]/g, '')}`,
    iss,
    aud: input.audience,
    iat,
    exp,
    cid: input.clientId,
    scp: [...input.scopes],
    sub: input.clientId,
    ...customClaims,
  };
}

/**
 * The Okta profile: a custom authorization server at `/oauth2/{authServerId}` whose access policy
 * lets clients with the agent role (standing for a matching policy rule) use client credentials.
 *
 * @example
 * ```ts
 * oktaEmulation.spec.routes.token; // '/v1/token'
 * ```
 */
export const oktaEmulation: VendorEmulation = {
  vendor: 'okta',
  spec: {
    mount: (fixture) => `/oauth2/${fixture.oktaAuthServerId}`,
    issuer: (baseUrl, fixture) => `${baseUrl}/oauth2/${fixture.oktaAuthServerId}`,
    routes: { token: '/v1/token', jwks: '/v1/keys' },
    loginRoutes: { authorization: '/v1/authorize', userinfo: '/v1/userinfo' },
    authMethods: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'],
    assertionAudience: 'token-url',
    clockToleranceSeconds: 30,
    accessTokenTtlSeconds: 3600,
    directoryPath: () => '/api/v1',
  },
  userId: (fixtureId) => `00u${stableHex(`okta:user:${fixtureId}`).slice(0, 17)}`,
  audience: (fixture) => fixture.api.identifier,
  requestScopes: (fixture) => [...fixture.api.scopes],
  resource: (_request, fixture) => fixture.api.identifier,
  unknownResourceText: (resource) => `Service not found: ${resource}`,
  assertionFailure: ({ claims, nowSeconds }) => oktaAssertionTimingFailure(claims, nowSeconds),
  scopeRefusal: ({ scopes }, fixture) => oktaScopeRefusal(scopes, fixture.api.scopes),
  // The agent role stands for an access-policy rule of this server that lists the client, the
  // client_credentials grant and every requested scope; without one Okta answers no_matching_policy.
  preApproval: ({ directory }) =>
    function oktaAccessPolicy({ agent }) {
      return agent.roles.includes(directory.fixture.agentRole)
        ? { claims: undefined }
        : {
            refusal: { kind: 'agent_not_approved', description: 'no access policy rule matches this client' },
          };
    },
  shapeAccessToken({ agent, audience }, header, payload) {
    const { scopes, extra } = splitAccessTokenClaims(payload);
    return {
      // Okta's access tokens carry no typ: undefined removes oidc-provider's default at+jwt.
      header: { ...header, typ: undefined },
      payload: oktaAccessTokenPayload({
        payload,
        clientId: agent.clientId,
        audience,
        scopes,
        customClaims: extra,
      }),
    };
  },
  tokenResponse: ({ access_token, expires_in, scope }) => ({
    token_type: 'Bearer',
    expires_in,
    access_token,
    ...(scope === undefined ? {} : { scope }),
  }),
  refusalResponse: (refusal) => oktaRefusalResponse(refusal),
  // `X-Rate-Limit-Limit`, `-Remaining`, `-Reset` (epoch seconds, UTC), no `Retry-After`, body
  // `E0000047` (Okta "Rate limit best practices", "Error codes").
  rateLimitResponse: (waitSeconds, now) =>
    jsonRateLimitResponse(
      {
        errorCode: 'E0000047',
        errorSummary: 'API call exceeded rate limit due to too many requests.',
        errorLink: 'E0000047',
        errorId: 'oaeRateLimit',
        errorCauses: [],
      },
      {
        'X-Rate-Limit-Limit': '600',
        'X-Rate-Limit-Remaining': '0',
        'X-Rate-Limit-Reset': rateLimitResetSeconds(now, waitSeconds),
      },
    ),
  humanClaims: (_directory, human) => ({
    sub: human.id,
    preferred_username: human.email,
    email: human.email,
    email_verified: true,
    name: human.name,
  }),
  // The human's side (Resource Owner Password) and Okta's On-Behalf-Of Token Exchange: okta-token-exchange.ts.
  directGrant: oktaDirectGrant,
  tokenExchange: oktaTokenExchange,
  directoryRoutes: [
    {
      // GET /api/v1/users/{id}/groups (Users API): the human's roles stand for Okta groups.
      pattern: /^\/users\/([^/]+)\/groups$/,
      body: (_directory, human) =>
        human.roles.map((name) => ({
          id: `00g${stableGuid(name).replace(/-/g, '').slice(0, 17)}`,
          created: '2026-01-01T00:00:00.000Z',
          lastUpdated: '2026-01-01T00:00:00.000Z',
          lastMembershipUpdated: '2026-01-01T00:00:00.000Z',
          objectClass: ['okta:user_group'],
          type: 'OKTA_GROUP',
          profile: { name, description: `${name} group` },
        })),
    },
  ],
};
