// Exchange mode against the embedded Auth0's On-Behalf-Of token exchange
// (packages/testkit/src/idp/vendors/auth0-token-exchange.ts): the request Auth0 documents
// (https://auth0.com/docs/api/authentication/on-behalf-of-token-exchange/get-token: grant_type,
// subject_token_type, subject_token, requested_token_type, audience required, scope optional, any
// client authentication but none), the token Auth0 issues (the human in `sub`, the agent in
// `act.sub`, the web application nested below it: auth0.com/docs/secure/call-apis-on-users-behalf/
// on-behalf-of-token-exchange), and each refusal as a TokenRequestError naming it, with the subject
// token in no log, error or JSON.
import { inspect } from 'node:util';
import {
  ConfigurationError,
  type DualAuthConfig,
  Secret,
  TokenRequestError,
  type TokenResponse,
} from '@dual-auth/core';
import { SUBJECT_TOKEN_TYPE_ACCESS_TOKEN, TOKEN_EXCHANGE_GRANT_TYPE } from '@dual-auth/core/oauth';
import {
  auth0AgentApiIdentifier,
  auth0ChainFixture,
  auth0ExchangeWebClients,
  capturingLogger,
  defaultIdpFixture,
  type IdpProfile,
  requestAuth0HumanToken,
  testConfig,
} from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { Auth0Adapter, type Auth0AdapterOptions } from '../src/index.ts';

const fixture = auth0ChainFixture(defaultIdpFixture(), ['agent-b', 'agent-c', 'agent-d', 'agent-e']);
const idp = useEmbeddedIdp({ vendors: ['auth0'], fixture, webClients: auth0ExchangeWebClients() });
let profile: IdpProfile;
beforeAll(() => {
  profile = idp.profile('auth0');
});

function humanId(name: string): string {
  const human = profile.humans.find((candidate) => candidate.email.startsWith(`${name}@`));
  if (human === undefined) throw new TypeError(`fixture human ${name} is missing`);
  return human.id;
}

function configFor(agentId: string, audience: string, scope?: string[]): DualAuthConfig {
  const agent = profile.agents.find((candidate) => candidate.clientId === agentId);
  if (agent === undefined) throw new TypeError(`fixture agent ${agentId} is missing`);
  return testConfig({
    vendor: 'auth0',
    tokenUrl: profile.tokenEndpoint,
    clientId: agent.clientId,
    clientSecret: new Secret(agent.clientSecret),
    audience,
    ...(scope === undefined ? {} : { scope }),
  });
}

function exchanger(agentId: string, audience = profile.audience, options: Auth0AdapterOptions = {}) {
  return new Auth0Adapter(configFor(agentId, audience), {
    mode: 'exchange',
    retry: { limit: 0 },
    ...options,
  });
}

async function humanToken(name: string, webClient = 0): Promise<Secret> {
  return new Secret(await requestAuth0HumanToken(profile.tokenEndpoint, name, webClient));
}

interface Outcome {
  readonly token?: TokenResponse;
  readonly error?: unknown;
}

/** Exchanges `subjectToken` as `agentId` for `audience`; the token and, on a refusal, the error. */
async function exchange(
  agentId: string,
  subjectToken: Secret,
  audience = profile.audience,
  scope?: string[],
) {
  const { logger, lines } = capturingLogger();
  const adapter = new Auth0Adapter(configFor(agentId, audience, scope), {
    mode: 'exchange',
    retry: { limit: 0 },
    logger,
  });
  const outcome = await adapter
    .requestToken({ agentId, act: { sub: humanId('alice') }, subjectToken })
    .then((token): Outcome => ({ token }))
    .catch((error: unknown): Outcome => ({ error }));
  return { ...outcome, lines };
}

describe('Auth0 exchange mode: the request on the wire', () => {
  it.each(['form', 'json'] as const)(
    'sends the on-behalf-of request Auth0 documents (%s body)',
    async (bodyEncoding) => {
      const sent: { body: Record<string, string>; headers: Headers }[] = [];
      const adapter = new Auth0Adapter(configFor('finance-agent', profile.audience, ['finance.read']), {
        mode: 'exchange',
        bodyEncoding,
        fetch: async (input, init) => {
          const text = String(init?.body);
          const body =
            bodyEncoding === 'json'
              ? (JSON.parse(text) as Record<string, string>)
              : Object.fromEntries(new URLSearchParams(text));
          const headers = new Headers(init?.headers);
          sent.push({ body, headers: new Headers(headers) });
          // Auth0 takes both encodings; the embedded IdP (oidc-provider) reads forms only.
          headers.set('content-type', 'application/x-www-form-urlencoded');
          return fetch(input, { ...init, headers, body: new URLSearchParams(body) });
        },
      });
      const subjectToken = await humanToken('alice');
      await adapter.requestToken({ agentId: 'finance-agent', act: { sub: humanId('alice') }, subjectToken });
      expect(sent).toHaveLength(1);
      expect(sent[0]?.body).toEqual({
        grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
        subject_token: subjectToken.reveal(),
        subject_token_type: SUBJECT_TOKEN_TYPE_ACCESS_TOKEN,
        requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        audience: profile.audience,
        scope: 'finance.read',
        client_id: 'finance-agent',
        client_secret: profile.agents.find((agent) => agent.clientId === 'finance-agent')?.clientSecret,
      });
      expect(sent[0]?.headers.get('content-type')).toContain(
        bodyEncoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
      );
    },
  );

  it('authenticates with client_secret_basic when told to, and refuses client_secret_jwt', async () => {
    const adapter = exchanger('finance-agent', profile.audience, { authMethod: 'client_secret_basic' });
    const token = await adapter.requestToken({
      agentId: 'finance-agent',
      act: { sub: humanId('alice') },
      subjectToken: await humanToken('alice'),
    });
    expect(decodeJwt(token.accessToken).azp).toBe('finance-agent');
    expect(() => exchanger('finance-agent', profile.audience, { authMethod: 'client_secret_jwt' })).toThrow(
      /client_secret_jwt is not accepted by auth0 in exchange mode/,
    );
  });

  it('takes DUAL_AUTH_MODE=exchange from the configuration (no ConfigurationError for Auth0 any more)', () => {
    const config = configFor('finance-agent', profile.audience);
    const adapter = new Auth0Adapter({
      ...config,
      settings: { ...config.settings, DUAL_AUTH_MODE: 'exchange' },
    });
    expect(adapter.mode).toBe('exchange');
    expect(() => new Auth0Adapter({ ...config, audience: undefined }, { mode: 'exchange' })).toThrow(
      ConfigurationError,
    );
  });
});

describe('Auth0 exchange mode: the token Auth0 issues', () => {
  it('names alice in sub, the agent in azp and act.sub, the web application nested below it', async () => {
    const { token } = await exchange('finance-agent', await humanToken('alice'));
    if (token === undefined) throw new Error('expected a token');
    const claims = decodeJwt(token.accessToken);
    expect(claims).toMatchObject({
      iss: profile.issuer,
      sub: humanId('alice'),
      aud: profile.audience,
      azp: 'finance-agent',
      act: { sub: 'finance-agent', act: { sub: auth0ExchangeWebClients()[0]?.clientId } },
      scope: 'finance.read finance.write',
    });
    expect(token.actAssertion).toBeUndefined();
  });

  it('nests one act deeper per exchange: agent-b exchanging finance-agent’s token', async () => {
    const first = await exchange(
      'finance-agent',
      await humanToken('alice'),
      auth0AgentApiIdentifier(fixture, 'agent-b'),
    );
    if (first.token === undefined) throw new Error('expected a token');
    const second = await exchange('agent-b', new Secret(first.token.accessToken));
    if (second.token === undefined) throw new Error('expected a token');
    expect(decodeJwt(second.token.accessToken)).toMatchObject({
      sub: humanId('alice'),
      azp: 'agent-b',
      act: { sub: 'agent-b', act: { sub: 'finance-agent', act: { sub: 'dual-auth-web' } } },
    });
  });
});

describe('Auth0 exchange mode: refusals as TokenRequestErrors', () => {
  /** alice's token exchanged along `agents`, each for the next one's API, then for `lastAudience`. */
  async function chainOf(agents: readonly string[], lastAudience: string): Promise<Secret> {
    let subject = await humanToken('alice');
    for (const [index, agent] of agents.entries()) {
      const next = agents[index + 1];
      const audience = next === undefined ? lastAudience : auth0AgentApiIdentifier(fixture, next);
      const { token, error } = await exchange(agent, subject, audience);
      if (token === undefined) throw error;
      subject = new Secret(token.accessToken);
    }
    return subject;
  }

  it.each([
    [
      'an agent that is no Custom API client',
      'rogue-agent',
      0,
      undefined,
      403,
      'unauthorized_client',
      'not_custom_api_client',
    ],
    [
      'a subject token for another API than the agent’s',
      'finance-agent',
      1,
      undefined,
      401,
      'invalid_grant',
      'subject_token_rejected',
    ],
    [
      'an audience that is no API of the tenant',
      'finance-agent',
      0,
      'https://api.dual-auth.test/unknown',
      403,
      'access_denied',
      'audience_not_found',
    ],
  ] as const)('refuses %s', async (_name, agentId, webClient, audience, status, oauthError, vendorCode) => {
    const subjectToken = await humanToken('alice', webClient);
    const { error, lines } = await exchange(agentId, subjectToken, audience);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({ status, oauthError, vendorCode });
    expect(String(error)).toMatch(/Fix: /);
    const texts = [...lines, String(error), JSON.stringify(error), inspect(error, { depth: 8 })];
    expect(texts.filter((text) => text.includes(subjectToken.reveal()))).toEqual([]);
  });

  it('refuses a subject token the tenant did not sign (a forged signature)', async () => {
    const genuine = (await humanToken('alice')).reveal();
    const forged = new Secret(`${genuine.slice(0, genuine.lastIndexOf('.') + 1)}${'A'.repeat(86)}`);
    const { error, lines } = await exchange('finance-agent', forged);
    expect(error).toMatchObject({
      status: 401,
      oauthError: 'invalid_grant',
      vendorCode: 'subject_token_rejected',
    });
    expect([...lines, String(error), JSON.stringify(error)].join('\n')).not.toContain(forged.reveal());
  });

  it('refuses a scope bob’s roles do not give him (403), naming it scope_not_granted', async () => {
    const subjectToken = await humanToken('bob');
    const { error } = await exchange('finance-agent', subjectToken, profile.audience, ['finance.read']);
    expect(error).toMatchObject({
      status: 403,
      oauthError: 'access_denied',
      vendorCode: 'scope_not_granted',
    });
    expect(String(error)).toContain('finance.read');
  });

  it('refuses a sixth act level with Auth0’s own 400 (delegation_too_deep)', async () => {
    // finance-agent's exchange nests two levels (itself and the web application), each next one one more.
    const deepest = await chainOf(
      ['finance-agent', 'agent-b', 'agent-c', 'agent-d'],
      auth0AgentApiIdentifier(fixture, 'agent-e'),
    );
    expect(JSON.stringify(decodeJwt(deepest.reveal()).act).match(/"sub"/g)).toHaveLength(5);
    const { error, lines } = await exchange('agent-e', deepest);
    expect(error).toMatchObject({
      status: 400,
      oauthError: 'invalid_request',
      vendorCode: 'delegation_too_deep',
    });
    expect(String(error)).toContain(
      'Delegation chain (`act` claim) depth exceeds the maximum allowed limit of 4',
    );
    expect([...lines, String(error), JSON.stringify(error)].join('\n')).not.toContain(deepest.reveal());
  });

  it('keeps a bad client secret as Auth0’s 401 access_denied, without an exchange vendorCode', async () => {
    const config = configFor('finance-agent', profile.audience);
    const adapter = new Auth0Adapter(
      { ...config, clientSecret: new Secret('a-wrong-secret-0123456789abcdef0123') },
      { mode: 'exchange', retry: { limit: 0 } },
    );
    const error = await adapter
      .requestToken({
        agentId: 'finance-agent',
        act: { sub: humanId('alice') },
        subjectToken: await humanToken('alice'),
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 401, oauthError: 'access_denied', vendorCode: undefined });
  });
});
