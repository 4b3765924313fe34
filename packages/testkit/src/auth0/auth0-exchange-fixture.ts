import type { AgentFixture, IdpFixture, WebClientFixture } from '../idp/types.ts';
import { embeddedAuth0HumanPassword } from '../idp/vendors/auth0-token-exchange.ts';

/**
 * A fixture with agents for Auth0 on-behalf-of chains added: each is a Custom API client (it holds
 * the fixture's agent role) with its own API, `auth0AgentApiIdentifier(fixture, clientId)`, and
 * every human who approved the fixture's first agent approves them too. Agent B exchanging agent
 * A's exchanged token then gets `act: { sub: B, act: { sub: A, act: { sub: <web app> } } }`.
 *
 * @example
 * ```ts
 * const fixture = auth0ChainFixture(defaultIdpFixture(), ['planner-agent', 'research-agent']);
 * const idp = await startEmbeddedIdp({ vendors: ['auth0'], fixture, webClients: auth0ExchangeWebClients('planner-agent') });
 * ```
 */
export function auth0ChainFixture(base: IdpFixture, chainAgents: readonly string[]): IdpFixture {
  const first = base.agents[0]?.clientId;
  const agents: AgentFixture[] = chainAgents.map((clientId) => ({
    clientId,
    clientSecret: `${clientId}-secret-0123456789abcdef0123456789abcdef`,
    authMethods: ['client_secret_basic', 'client_secret_post'],
    roles: [base.agentRole],
  }));
  return {
    ...base,
    agents: [...base.agents, ...agents],
    humans: base.humans.map((human) =>
      first !== undefined && human.approvedAgents.includes(first)
        ? { ...human, approvedAgents: [...human.approvedAgents, ...chainAgents] }
        : human,
    ),
  };
}

const webClientSecret = 'dual-auth-web-secret-0123456789abcdef';

/**
 * Two web applications for the embedded Auth0's password grant: the first signs humans in for the
 * API of `firstAgent` (so that agent may exchange their tokens), the second for the fixture API
 * (a token no agent may exchange: its audience is no agent's API).
 *
 * @example
 * ```ts
 * const idp = await startEmbeddedIdp({ vendors: ['auth0'], webClients: auth0ExchangeWebClients() });
 * ```
 */
export function auth0ExchangeWebClients(firstAgent = 'finance-agent'): WebClientFixture[] {
  return [
    {
      clientId: 'dual-auth-web',
      clientSecret: webClientSecret,
      redirectUris: ['https://app.dual-auth.test/callback'],
      audience: [firstAgent],
    },
    {
      clientId: 'dual-auth-web-alone',
      clientSecret: webClientSecret,
      redirectUris: ['https://app.dual-auth.test/callback'],
    },
  ];
}

/**
 * A fixture human's access token from the embedded Auth0's password grant, by web application
 * `webClient` of {@link auth0ExchangeWebClients}: the subject token of an on-behalf-of exchange.
 *
 * @example
 * ```ts
 * const subjectToken = new Secret(await requestAuth0HumanToken(profile.tokenEndpoint, 'alice'));
 * ```
 * @throws {Error} when the grant is refused (the status and body, which hold no token).
 */
export async function requestAuth0HumanToken(
  tokenEndpoint: string,
  username: string,
  webClient = 0,
): Promise<string> {
  const client = auth0ExchangeWebClients()[webClient];
  if (client === undefined) throw new TypeError(`no web client ${webClient}`);
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      username,
      password: embeddedAuth0HumanPassword,
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200 || typeof body.access_token !== 'string')
    throw new Error(`password grant failed: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}
