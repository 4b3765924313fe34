// Okta's OAuth 2.0 On-Behalf-Of Token Exchange on a custom authorization server, and the Resource
// Owner Password grant that gives a test a human's access token to exchange. Sources, cited below
// by short name:
// - guide: "Set up OAuth 2.0 On-Behalf-Of Token Exchange",
//   https://developer.okta.com/docs/guides/set-up-token-exchange/main/ (okta/okta-developer-docs,
//   packages/@okta/vuepress-site/docs/guides/set-up-token-exchange/main/index.md);
// - catalogue: Okta's OAuth 2.0 error catalogue, okta/okta-developer-docs
//   packages/@okta/vuepress-site/data/oauth2-error-codes.json (release 2026.08.1), by internalErrorCode;
// - ropassword: "Implement the Resource Owner Password flow",
//   https://developer.okta.com/docs/guides/implement-grant-type/ropassword/main/;
// - support: Okta support, "On-Behalf of Token Exchange Requires Use of Two Custom Authorization
//   Servers" (the grant needs API Access Management, i.e. a custom authorization server).
// docs/vendor-fidelity.md ("## Okta", "### Token exchange") lists the rules and what is not confirmed.
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { findLoginHuman } from '../login-human.ts';
import { splitAccessTokenClaims } from '../split-access-token-claims.ts';
import { oauthError, type Refusal } from '../token-refusal.ts';
import type { HumanFixture } from '../types.ts';
import type { DirectGrantEmulation, TokenExchangeEmulation } from '../vendor-emulation.ts';
import { oktaNoMatchingPolicy, oktaScopeRefusal } from './okta-error-catalogue.ts';

type Claims = Record<string, unknown>;

const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * The password of every fixture human at the embedded Okta profile's Resource Owner Password grant
 * (a test IdP: the fixture has no passwords of its own).
 *
 * @example
 * ```ts
 * const form = { grant_type: 'password', username: 'alice@example.com', password: oktaHumanPassword, scope: 'openid' };
 * ```
 */
export const oktaHumanPassword = 'okta-test-password-0123456789';

/**
 * The scopes of OpenID Connect (and `offline_access`), which a service app may not request in a
 * token exchange (guide, "Create custom scopes": "You can't include the offline_access scope or any
 * of the OpenID Connect scopes when using a service app").
 */
const oidcScopes: readonly string[] = [
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'offline_access',
  'device_sso',
];

function oktaRefusal(status: number, error: string, description: string): { refusal: Refusal } {
  return { refusal: { kind: 'other', description, answer: oauthError(status, error, description) } };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A token's claims read without verifying it (to tell why it did not verify), or `{}`. */
function unverifiedClaims(token: string | undefined): Claims {
  if (token === undefined) return {};
  try {
    return decodeJwt(token);
  } catch {
    return {};
  }
}

/**
 * A user's access token at an Okta custom authorization server, in the layout of the guide's
 * "Access token decoded": `ver` 1, `jti` `AT.…`, `iss`, `aud` (the server's audience), `iat`, `exp`,
 * `cid` = the client that asked, `uid` = the user's id, `scp` = the granted scopes, `auth_time`, and
 * `sub` = the user's login (an email address in the guide's example, and here). No `typ` header.
 */
function oktaUserToken(
  header: Claims | undefined,
  payload: Claims,
  token: { human: HumanFixture; clientId: string; audience: string; scopes: string[]; authTime: unknown },
): { header: Claims; payload: Claims } {
  const { iss, iat, exp, jti } = splitAccessTokenClaims(payload);
  return {
    header: { ...header, typ: undefined },
    payload: {
      ver: 1,
      jti: `AT.${String(jti ?? randomUUID()).replace(/[^\w-]/g, '')}`,
      iss,
      aud: token.audience,
      iat,
      exp,
      cid: token.clientId,
      uid: token.human.id,
      scp: token.scopes,
      auth_time: typeof token.authTime === 'number' ? token.authTime : iat,
      sub: token.human.email,
    },
  };
}

/**
 * Okta's Resource Owner Password grant for a native app with a client secret (ropassword: "Request
 * for tokens"): the fixture human by login (email) or fixture name and {@link oktaHumanPassword};
 * the access token names the application in `cid` and carries `scp: ['openid']`.
 *
 * @example
 * ```ts
 * const grant = oktaDirectGrant; // used by the embedded IdP's Okta profile
 * ```
 */
export const oktaDirectGrant: DirectGrantEmulation = {
  authenticate(directory, params) {
    const username = text(params.username);
    if (username === undefined || params.password !== oktaHumanPassword) return undefined;
    return findLoginHuman(directory, username)?.human;
  },
  refusal: (unknownClient) =>
    unknownClient
      ? // catalogue unauthorized_client: an app without the Resource Owner Password grant.
        oktaRefusal(
          400,
          'unauthorized_client',
          'The client is not authorized to use the provided grant type. Configured grant types: [client_credentials].',
        ).refusal
      : // catalogue invalid_password_credentials.
        oktaRefusal(400, 'invalid_grant', 'The credentials provided were invalid.').refusal,
  shapeAccessToken({ human, webClient, fixture }, header, payload) {
    return oktaUserToken(header, payload, {
      human,
      clientId: webClient.clientId,
      audience: fixture.api.identifier,
      scopes: ['openid'],
      authTime: undefined,
    });
  },
};

/**
 * Okta's On-Behalf-Of Token Exchange: a service app with the Token Exchange grant exchanges a
 * user's access token from this authorization server (`subject_token`, type access_token) for a
 * token for the server's `audience` with the requested custom scopes, when an access-policy rule
 * of the server lets it (the fixture's agent role stands for that rule). The new token keeps the
 * user (`uid`, `sub` = login) and names the service app in `cid`; it has no `act`.
 *
 * @example
 * ```ts
 * const exchange = oktaTokenExchange; // used by the embedded IdP's Okta profile
 * ```
 */
export const oktaTokenExchange: TokenExchangeEmulation = {
  decide({ agent, params, subject, fixture, directory }) {
    // catalogue on_behalf_invalid_client_type; guide "Create a service app" (API Services).
    if (agent === undefined)
      return oktaRefusal(400, 'invalid_request', 'Only service clients may use on-behalf token exchange.');
    // guide "Create a service app": Token Exchange is a grant type to select on the app; the
    // fixture's directory reader stands for a service app with client credentials only
    // (catalogue unauthorized_client).
    if (agent.kind === 'directory-reader')
      return oktaRefusal(
        400,
        'unauthorized_client',
        'The client is not authorized to use the provided grant type. Configured grant types: [client_credentials].',
      );
    // guide "Token exchange request": subject_token_type is access_token (catalogue
    // invalid_subject_token_type).
    if (text(params.subject_token_type) !== accessTokenType)
      return oktaRefusal(400, 'invalid_request', "'subject_token_type' is invalid or not supported.");
    const requestedType = text(params.requested_token_type);
    if (requestedType !== undefined && requestedType !== accessTokenType)
      return oktaRefusal(400, 'invalid_request', "'requested_token_type' is invalid or not supported.");
    if (subject === undefined) {
      // guide "Trusted servers": a token of another authorization server of the tenant is taken
      // only from a trusted server (catalogue associated_server_not_trusted); anything else that
      // does not verify is invalid_subject_token.
      const claims = unverifiedClaims(text(params.subject_token));
      const server = /\/oauth2\/([^/]+)$/.exec(text(claims.iss) ?? '')?.[1];
      if (server !== undefined && server !== fixture.oktaAuthServerId)
        return oktaRefusal(
          403,
          'access_denied',
          "The 'subject_token' issuer isn't a trusted authorization server.",
        );
      // A token of this server that no longer verifies because it expired (the handler verifies
      // signature and expiry together; the expiry is read unverified here): catalogue
      // token_exchange_subject_token_expired.
      if (server !== undefined && typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now())
        return oktaRefusal(
          400,
          'invalid_grant',
          "The 'subject_token' either expired or the session associated with it was terminated.",
        );
      return oktaRefusal(400, 'invalid_request', "'subject_token' is invalid.");
    }
    // The subject is a user: a client-credentials token (no uid) is not one (not confirmed).
    const human = directory.humans.find((candidate) => candidate.id === subject.uid);
    if (human === undefined) return oktaRefusal(400, 'invalid_request', "'subject_token' is invalid.");
    // guide: `audience` is the audience of the authorization server (catalogue
    // token_exchange_invalid_audience).
    if (text(params.audience) !== fixture.api.identifier)
      return oktaRefusal(
        400,
        'invalid_target',
        'Token Exchange requests must include a valid audience of the authorization server.',
      );
    const scope = text(params.scope)?.split(' ').filter(Boolean) ?? [];
    // catalogue openid_not_allowed_token_exchange; guide "Create custom scopes".
    if (scope.some((name) => oidcScopes.includes(name)))
      return oktaRefusal(
        400,
        'invalid_scope',
        "Can't request 'openid' scopes using the Token Exchange flow for a service app.",
      );
    // catalogue no_default_scopes / no_matching_scope, as for client credentials.
    const scopeRefusal = oktaScopeRefusal(scope, fixture.api.scopes);
    if (scopeRefusal !== undefined) return oktaRefusal(400, 'invalid_scope', scopeRefusal);
    // guide "Create access policies and rules": a policy assigned to the service app with a rule
    // for these scopes; without one, catalogue no_matching_policy (401 access_denied).
    if (!agent.roles.includes(fixture.agentRole))
      return oktaRefusal(
        oktaNoMatchingPolicy.status,
        oktaNoMatchingPolicy.error,
        oktaNoMatchingPolicy.description,
      );
    return { agent, human, subject, scope };
  },
  shapeAccessToken({ agent, human, subject, fixture }, header, payload) {
    return oktaUserToken(header, payload, {
      human,
      clientId: agent.clientId,
      audience: fixture.api.identifier,
      scopes: splitAccessTokenClaims(payload).scopes,
      authTime: subject.auth_time,
    });
  },
  // guide "Token exchange request", Response: token_type, expires_in, access_token, scope,
  // issued_token_type.
  tokenResponse: ({ access_token, expires_in, scope }) => ({
    token_type: 'Bearer',
    expires_in,
    access_token,
    scope,
    issued_token_type: accessTokenType,
  }),
};
