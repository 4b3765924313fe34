// Keycloak's standard token exchange (V2) and the direct grant that gives a test a human's token,
// as Keycloak 26.7.3 applies them. Sources (keycloak/keycloak, services/src/main/java/org/keycloak/
// protocol/oidc/tokenexchange/): StandardTokenExchangeProvider (supports, processSubjectToken,
// validateAudience, getRequestedScope, getRequestedTokenType, checkRequestedAudiences) and
// AbstractTokenExchangeProvider (getTargetAudienceClients); calibrated against the real server by
// apps/e2e/test/real-keycloak/token-exchange.test.ts. docs/vendor-fidelity.md lists the rules.
import { realKeycloakExchangeAgents, realKeycloakHumanPassword } from '../../keycloak/real-keycloak-realm.ts';
import { findLoginHuman } from '../login-human.ts';
import { splitAccessTokenClaims } from '../split-access-token-claims.ts';
import { stableGuid } from '../stable-guid.ts';
import { oauthError, type Refusal } from '../token-refusal.ts';
import type { HumanFixture } from '../types.ts';
import type { DirectGrantEmulation, TokenExchangeEmulation } from '../vendor-emulation.ts';

type Claims = Record<string, unknown>;

const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';
/** Scopes every Keycloak realm defines (client scopes), which a request may name besides the API's. */
const realmScopes: readonly string[] = ['openid', 'profile', 'email'];

function keycloakRefusal(status: number, error: string, description: string): { refusal: Refusal } {
  return { refusal: { kind: 'other', description, answer: oauthError(status, error, description) } };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

function splitName(name: string): { given_name: string; family_name?: string } {
  const space = name.indexOf(' ');
  return space < 0
    ? { given_name: name }
    : { given_name: name.slice(0, space), family_name: name.slice(space + 1) };
}

/**
 * How Keycloak 26.2+ writes a token's `jti`: session type, token type and grant type (two letters
 * each), `:`, then the id (DefaultTokenContextEncoderProvider.encodeTokenId). Keycloak 26.7.3
 * answers a direct grant with `onrtro` (online session, regular token, password) and a standard
 * token exchange with `ntrtte` (online session with a transient client session, token exchange),
 * as apps/e2e/test/real-keycloak/token-exchange.test.ts compares.
 */
type TokenContext = 'onrtro' | 'ntrtte';

/**
 * A human's access token as Keycloak lays it out (its default client scopes profile, email, roles
 * and acr), for the application or agent `azp` and the audience `aud`.
 */
function humanToken(
  header: Claims | undefined,
  payload: Claims,
  token: { human: HumanFixture; aud: string[]; azp: string; sid: unknown; context: TokenContext },
): { header: Claims; payload: Claims } {
  const { human } = token;
  const { iss, iat, exp, jti, scopes, extra } = splitAccessTokenClaims(payload);
  return {
    header: { ...header, typ: 'JWT' },
    payload: {
      exp,
      iat,
      jti: `${token.context}:${stableGuid(`keycloak:jti:${String(jti)}`)}`,
      iss,
      // Keycloak writes a single audience as a string, and none as no claim.
      ...(token.aud.length === 0 ? {} : { aud: token.aud.length === 1 ? token.aud[0] : token.aud }),
      sub: human.id,
      typ: 'Bearer',
      azp: token.azp,
      ...(typeof token.sid === 'string' ? { sid: token.sid } : {}),
      acr: '1',
      // The real realm imports humans with their roles only: no default roles, so no `account`
      // client roles (resource_access) and no `account` audience either.
      realm_access: { roles: [...human.roles] },
      scope: ['profile', 'email', ...scopes].join(' '),
      email_verified: true,
      name: human.name,
      preferred_username: usernameOf(human),
      ...splitName(human.name),
      email: human.email,
      ...extra,
    },
  };
}

/**
 * Keycloak's token response (`refresh_expires_in`, `not-before-policy`, `profile email` in `scope`),
 * with `issued_token_type` for an exchange.
 */
export function keycloakTokenResponse(body: Claims, issuedTokenType?: string): Claims {
  const { access_token, expires_in, scope } = body;
  return {
    access_token,
    expires_in,
    refresh_expires_in: 0,
    token_type: 'Bearer',
    'not-before-policy': 0,
    scope: ['profile', 'email', ...(typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [])].join(
      ' ',
    ),
    ...(issuedTokenType === undefined ? {} : { issued_token_type: issuedTokenType }),
  };
}

function usernameOf(human: HumanFixture): string {
  return human.email.split('@')[0] ?? human.email;
}

/**
 * Keycloak's direct grant (`grant_type=password`, "Direct access grants" on the web application):
 * the fixture human by user name (the email's local part) and the test password every real-realm
 * human has; the token's `aud` names the clients the application's audience mapper lists.
 *
 * @example
 * ```ts
 * const grant = keycloakDirectGrant; // used by the embedded IdP's Keycloak profile
 * ```
 */
export const keycloakDirectGrant: DirectGrantEmulation = {
  authenticate(directory, params) {
    const username = text(params.username);
    if (username === undefined || params.password !== realKeycloakHumanPassword) return undefined;
    return findLoginHuman(directory, username)?.human;
  },
  refusal: (unknownClient) =>
    unknownClient
      ? keycloakRefusal(401, 'unauthorized_client', 'Invalid client or Invalid client credentials').refusal
      : keycloakRefusal(401, 'invalid_grant', 'Invalid user credentials').refusal,
  shapeAccessToken({ human, webClient }, header, payload) {
    const { jti } = payload;
    return humanToken(header, payload, {
      human,
      // oidc-provider issues no JWT without `aud`: an application without an audience mapper gets
      // `account` (not compared with the real realm, whose token may have no `aud`).
      aud:
        webClient.audience === undefined || webClient.audience.length === 0
          ? ['account']
          : [...webClient.audience],
      azp: webClient.clientId,
      sid: stableGuid(`keycloak:session:${human.id}:${String(jti)}`),
      context: 'onrtro',
    });
  },
};

/**
 * Keycloak's standard token exchange (V2): an agent client with `standard.token.exchange.enabled`
 * exchanges a human's access token that names it in `aud` (or was issued to it) for a token with the
 * human in `sub` and the agent in `azp`, for the agent's own audience (its audience mapper: the API).
 *
 * @example
 * ```ts
 * const exchange = keycloakTokenExchange; // used by the embedded IdP's Keycloak profile
 * ```
 */
export const keycloakTokenExchange: TokenExchangeEmulation = {
  decide({ agent, params, subject, fixture, directory, isClient }) {
    // StandardTokenExchangeProvider.supports: each reason is the answer when no provider supports
    // the request.
    const unsupported = (reason: string) => keycloakRefusal(400, 'invalid_request', reason);
    for (const name of ['requested_subject', 'requested_issuer', 'subject_issuer'] as const) {
      if (params[name] !== undefined)
        return unsupported(`Parameter '${name}' is not supported for standard token exchange`);
    }
    if (agent === undefined || !realKeycloakExchangeAgents.includes(agent.clientId))
      return unsupported('Standard token exchange is not enabled for the requested client');
    if (text(params.subject_token) === undefined)
      return unsupported("Parameter 'subject_token' required for standard token exchange");
    const subjectTokenType = text(params.subject_token_type);
    if (subjectTokenType === undefined)
      return unsupported("Parameter 'subject_token_type' required for standard token exchange");
    if (subjectTokenType !== accessTokenType)
      return unsupported("Parameter 'subject_token' supports access tokens only");
    // processSubjectToken: a token Keycloak cannot verify as one of its own users' is "Invalid token".
    const human = directory.humans.find((candidate) => candidate.id === subject?.sub);
    if (subject === undefined || human === undefined || subject.typ !== 'Bearer')
      return keycloakRefusal(400, 'invalid_request', 'Invalid token');
    // getRequestedTokenType: only access tokens are emulated (Keycloak also issues ID tokens, and
    // refresh tokens where the client allows them).
    const requested = text(params.requested_token_type);
    if (requested !== undefined && requested !== accessTokenType)
      return keycloakRefusal(400, 'invalid_request', 'requested_token_type unsupported');
    // getTargetAudienceClients: every `audience` must be a client of the realm.
    const audiences = list(params.audience);
    if (audiences.some((audience) => !isClient(audience)))
      return keycloakRefusal(400, 'invalid_client', 'Audience not found');
    // validateAudience: the agent must hold the subject token or be in its audience.
    if (subject.azp !== agent.clientId && !list(subject.aud).includes(agent.clientId))
      return keycloakRefusal(403, 'access_denied', 'Client is not within the token audience');
    // getRequestedScope: the whole `scope` parameter is named when one scope is not the client's.
    const scope = text(params.scope)?.split(' ').filter(Boolean) ?? [];
    if (scope.some((name) => !fixture.api.scopes.includes(name) && !realmScopes.includes(name)))
      return keycloakRefusal(400, 'invalid_scope', `Invalid scopes: ${String(params.scope)}`);
    // checkRequestedAudiences: the new token names no client in `aud` (the API is a custom audience
    // of the agent's audience mapper, no client), so every requested client audience is missing.
    const missing = audiences;
    if (missing.length > 0)
      return keycloakRefusal(
        400,
        'invalid_request',
        `Requested audience not available: ${missing.join(', ')}`,
      );
    return { agent, human, subject, scope };
  },
  shapeAccessToken({ agent, human, subject, fixture }, header, payload) {
    return humanToken(header, payload, {
      human,
      aud: [fixture.api.identifier],
      azp: agent.clientId,
      sid: subject.sid,
      context: 'ntrtte',
    });
  },
  tokenResponse: (body, subject) => ({
    ...keycloakTokenResponse(body, accessTokenType),
    ...(typeof subject.sid === 'string' ? { session_state: subject.sid } : {}),
  }),
};
