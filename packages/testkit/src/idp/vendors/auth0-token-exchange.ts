// Auth0's On-Behalf-Of (OBO) token exchange and the Resource Owner Password grant that gives a test a
// human's token, as the embedded Auth0 profile emulates them. Sources, cited by short name:
// - "OBO guide": https://auth0.com/docs/secure/call-apis-on-users-behalf/on-behalf-of-token-exchange
//   (auth0/docs-v2 main/docs/secure/call-apis-on-users-behalf/on-behalf-of-token-exchange.mdx):
//   the `act` examples (the originating client nested under the exchanging one), "The delegation
//   chain is limited to five nested levels. The OBO token exchange will fail if the subject token
//   already has five nested `act` levels" with its 400 answer, the prerequisites (Custom API client,
//   user-delegated client grant, the On-Behalf-Of toggle) and the 200 response.
// - "OBO reference": https://auth0.com/docs/api/authentication/on-behalf-of-token-exchange/get-token
//   (required parameters, "If not specified, all scopes granted to the user for the target audience
//   will be included", the 400/401/403 rows, `scope` "Only included if the granted scopes differ
//   from the requested scopes").
// docs/vendor-fidelity.md ("Auth0", "On-behalf-of token exchange") lists each rule and what is ours.
import { findLoginHuman } from '../login-human.ts';
import { splitAccessTokenClaims } from '../split-access-token-claims.ts';
import { oauthError, type Refusal } from '../token-refusal.ts';
import type { AgentFixture, HumanFixture, IdpFixture, WebClientFixture } from '../types.ts';
import type { DirectGrantEmulation, TokenExchangeEmulation } from '../vendor-emulation.ts';

type Claims = Record<string, unknown>;

const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';
const exchangeGrantType = 'urn:ietf:params:oauth:grant-type:token-exchange';

/**
 * The most nested `act` levels a subject token may already carry (OBO guide: "will fail if the
 * subject token already has five nested `act` levels"; the answer says "limit of 4").
 *
 * @example
 * ```ts
 * const deepest = AUTH0_MAX_SUBJECT_ACT_DEPTH; // 4: the issued token nests at most five
 * ```
 */
export const AUTH0_MAX_SUBJECT_ACT_DEPTH = 4;

/**
 * The password of every fixture human at the embedded Auth0's Resource Owner Password grant.
 *
 * @example
 * ```ts
 * body.set('password', embeddedAuth0HumanPassword);
 * ```
 */
export const embeddedAuth0HumanPassword = 'dual-auth-test-password-0123456789';

/**
 * The identifier of the API (resource server) an agent's Custom API client is linked to, so the
 * audience a human's token (or an upstream agent's exchanged token) needs before that agent may
 * exchange it: `{origin of the fixture API}/agents/{clientId}`.
 *
 * @example
 * ```ts
 * auth0AgentApiIdentifier(defaultIdpFixture(), 'finance-agent'); // 'https://api.dual-auth.test/agents/finance-agent'
 * ```
 */
export function auth0AgentApiIdentifier(fixture: Pick<IdpFixture, 'api'>, clientId: string): string {
  return `${new URL(fixture.api.identifier).origin}/agents/${clientId}`;
}

/**
 * Whether a fixture agent is a Custom API client with On-Behalf-Of Token Exchange switched on: in
 * the emulated tenant, the agents holding the fixture's agent role (our model of the Terraform in
 * `@dual-auth/iam`, as for client grants); the others are plain machine-to-machine applications.
 *
 * @example
 * ```ts
 * isAuth0ExchangeAgent(fixture, agent); // true for finance-agent, false for rogue-agent
 * ```
 */
export function isAuth0ExchangeAgent(fixture: IdpFixture, agent: AgentFixture | undefined): boolean {
  return agent !== undefined && agent.kind !== 'directory-reader' && agent.roles.includes(fixture.agentRole);
}

/** The tenant's APIs: the fixture's API and each exchange agent's own. */
function tenantApis(fixture: IdpFixture): string[] {
  return [
    fixture.api.identifier,
    ...fixture.agents
      .filter((agent) => isAuth0ExchangeAgent(fixture, agent))
      .map((agent) => auth0AgentApiIdentifier(fixture, agent.clientId)),
  ];
}

/**
 * A human's permissions for any API of the emulated tenant (RBAC with "Add Permissions in the
 * Access Token"): the API's scopes when the human holds the fixture's human role, else none (our
 * model; every emulated API defines the fixture API's scopes).
 */
function humanPermissions(fixture: IdpFixture, human: HumanFixture): readonly string[] {
  return human.roles.includes(fixture.humanRole) ? fixture.api.scopes : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function audiences(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

function refuse(status: number, error: string, description: string): { refusal: Refusal } {
  return { refusal: { kind: 'other', description, answer: oauthError(status, error, description) } };
}

/**
 * How many `act` levels a token carries (0 without `act`).
 *
 * @example
 * ```ts
 * auth0ActDepth({ act: { sub: 'b', act: { sub: 'a' } } }); // 2
 * ```
 */
export function auth0ActDepth(claims: Readonly<Claims>): number {
  let depth = 0;
  let act = claims.act;
  while (typeof act === 'object' && act !== null) {
    depth++;
    act = (act as Claims).act;
  }
  return depth;
}

/**
 * The `act` of a token the agent gets by exchanging `subject`: the agent outermost, then the
 * subject token's own chain, or, for a first exchange, the client the human's token was issued to
 * (OBO guide: `{"sub": "mcp_server_client_id", "act": {"sub": "spa_client_id"}}`, one level more per
 * further exchange).
 *
 * @example
 * ```ts
 * auth0ExchangedAct('agent-b', { azp: 'agent-a', act: { sub: 'agent-a', act: { sub: 'web' } } });
 * // { sub: 'agent-b', act: { sub: 'agent-a', act: { sub: 'web' } } }
 * ```
 */
export function auth0ExchangedAct(agentClientId: string, subject: Readonly<Claims>): Claims {
  const earlier = typeof subject.act === 'object' && subject.act !== null ? subject.act : undefined;
  const origin = earlier ?? (typeof subject.azp === 'string' ? { sub: subject.azp } : undefined);
  return { sub: agentClientId, ...(origin === undefined ? {} : { act: origin }) };
}

/** An Auth0 access token for a human (Auth0 token profile: `azp`, `scope`, `permissions`). */
function humanAccessToken(
  header: Claims | undefined,
  payload: Claims,
  token: { human: HumanFixture; audience: string; azp: string; scopes: readonly string[]; act?: Claims },
): { header: Claims; payload: Claims } {
  const { iss, iat, exp, extra } = splitAccessTokenClaims(payload);
  return {
    header: { ...header, typ: 'JWT' },
    payload: {
      iss,
      sub: token.human.id,
      aud: token.audience,
      iat,
      exp,
      ...(token.scopes.length > 0 ? { scope: token.scopes.join(' ') } : {}),
      azp: token.azp,
      permissions: [...token.scopes],
      ...(token.act === undefined ? {} : { act: token.act }),
      ...extra,
    },
  };
}

/** The API a web application's password-grant tokens are for (see {@link auth0DirectGrant}). */
function webClientAudience(fixture: IdpFixture, webClient: WebClientFixture): string {
  const agent = webClient.audience?.[0];
  return agent === undefined ? fixture.api.identifier : auth0AgentApiIdentifier(fixture, agent);
}

/**
 * Auth0's Resource Owner Password grant (`grant_type=password`) for a web application: the fixture
 * human by email or fixture name and {@link embeddedAuth0HumanPassword}. The token is for the API
 * of the first agent in the web client's `audience` (standing in for Auth0's `audience` parameter,
 * which the shared grant handler does not pass on), or the fixture API; it holds the human's
 * permissions for it.
 *
 * @example
 * ```ts
 * const grant = auth0DirectGrant; // used by the embedded IdP's Auth0 profile
 * ```
 */
export const auth0DirectGrant: DirectGrantEmulation = {
  authenticate(directory, params) {
    const username = text(params.username);
    if (username === undefined || params.password !== embeddedAuth0HumanPassword) return undefined;
    return findLoginHuman(directory, username)?.human;
  },
  // Bad client credentials are Auth0's 401 "Unauthorized" (as for every grant); a wrong password
  // is 403 invalid_grant "Wrong email or password." (as tenants answer; not on a documentation page).
  refusal: (unknownClient) =>
    unknownClient
      ? refuse(401, 'access_denied', 'Unauthorized').refusal
      : refuse(403, 'invalid_grant', 'Wrong email or password.').refusal,
  shapeAccessToken({ human, webClient, fixture }, header, payload) {
    return humanAccessToken(header, payload, {
      human,
      audience: webClientAudience(fixture, webClient),
      azp: webClient.clientId,
      scopes: humanPermissions(fixture, human),
    });
  },
};

// What each exchange asked for, so the response can say `scope` only when the grant differs
// (OBO reference); keyed on the subject view `decide` returns, which the grant handler hands back.
const requestedScopes = new WeakMap<object, readonly string[]>();
const targetAudiences = new WeakMap<object, string>();

/**
 * Auth0's On-Behalf-Of token exchange: a Custom API client exchanges a human's access token issued
 * for its own API (or an upstream agent's exchanged token) for a token for `audience`, the human
 * in `sub`, the agent in `azp` and outermost `act.sub`, the earlier actors nested below it.
 *
 * @example
 * ```ts
 * const exchange = auth0TokenExchange; // used by the embedded IdP's Auth0 profile
 * ```
 */
export const auth0TokenExchange: TokenExchangeEmulation = {
  decide({ agent, params, subject, fixture, directory }) {
    // "Only Custom API clients associated with a resource server can use the OBO token exchange"
    // (OBO reference; 403 "The client does not have permission to perform the token exchange"); the
    // wording is Auth0's usual refusal of a grant a client may not use.
    if (agent === undefined || !isAuth0ExchangeAgent(fixture, agent))
      return refuse(
        403,
        'unauthorized_client',
        `Grant type '${exchangeGrantType}' not allowed for the client.`,
      );
    // Required parameters (OBO reference: 400 "if required parameters are missing"); texts ours.
    for (const name of ['subject_token', 'subject_token_type', 'requested_token_type', 'audience'] as const) {
      if (text(params[name]) === undefined)
        return refuse(400, 'invalid_request', `Missing required parameter: ${name}`);
    }
    for (const name of ['subject_token_type', 'requested_token_type'] as const) {
      if (params[name] !== accessTokenType)
        return refuse(
          400,
          'invalid_request',
          `${name} must be ${accessTokenType} for On-Behalf-Of Token Exchange`,
        );
    }
    const audience = String(params.audience);
    if (!tenantApis(fixture).includes(audience))
      return refuse(403, 'access_denied', `Service not found: ${audience}`);
    // 401 "The subject token is invalid, expired" (OBO reference): a token this tenant did not
    // sign, an expired one, one of no user, or one for another API than the agent's own (the Custom
    // API client "is linked to a resource server", whose tokens it receives). Texts ours.
    const human = directory.humans.find((candidate) => candidate.id === subject?.sub);
    if (subject === undefined || human === undefined)
      return refuse(401, 'invalid_grant', 'Invalid subject_token');
    if (!audiences(subject.aud).includes(auth0AgentApiIdentifier(fixture, agent.clientId)))
      return refuse(401, 'invalid_grant', "subject_token audience is not the client's resource server");
    if (auth0ActDepth(subject) > AUTH0_MAX_SUBJECT_ACT_DEPTH)
      return refuse(
        400,
        'invalid_request',
        `Delegation chain (\`act\` claim) depth exceeds the maximum allowed limit of ${AUTH0_MAX_SUBJECT_ACT_DEPTH}`,
      );
    // Scopes come from the user's RBAC for the target audience, all of them when none is asked
    // for; a scope the user does not have is 403 (OBO reference). The user-delegated client grant
    // is "Always grant all permissions" here. The text is ours.
    const granted = humanPermissions(fixture, human);
    const requested = text(params.scope)?.split(' ').filter(Boolean) ?? [];
    const missing = requested.filter((scope) => !granted.includes(scope));
    if (missing.length > 0)
      return refuse(403, 'access_denied', `User has not been granted scopes: ${missing.join(' ')}`);
    const view = { ...subject };
    requestedScopes.set(view, requested);
    targetAudiences.set(view, audience);
    return { agent, human, subject: view, scope: requested.length > 0 ? requested : [...granted] };
  },
  shapeAccessToken({ agent, human, subject }, header, payload) {
    const { scopes } = splitAccessTokenClaims(payload);
    return humanAccessToken(header, payload, {
      human,
      audience: targetAudiences.get(subject) ?? '',
      azp: agent.clientId,
      scopes,
      act: auth0ExchangedAct(agent.clientId, subject),
    });
  },
  tokenResponse(body, subject) {
    const granted = typeof body.scope === 'string' ? body.scope.split(' ').filter(Boolean) : [];
    const requested = requestedScopes.get(subject) ?? [];
    const differs =
      granted.length !== requested.length || granted.some((scope) => !requested.includes(scope));
    return {
      access_token: body.access_token,
      expires_in: body.expires_in,
      token_type: 'Bearer',
      issued_token_type: accessTokenType,
      ...(differs && granted.length > 0 ? { scope: granted.join(' ') } : {}),
    };
  },
};
