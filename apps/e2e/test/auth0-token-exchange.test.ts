// Exchange mode on the embedded IdP's Auth0 profile (On-Behalf-Of token exchange,
// packages/testkit/src/idp/vendors/auth0-token-exchange.ts), judged by the API's verifier in the
// rfc8693 layout. Auth0 names the human in `sub`, the exchanging agent in the outermost `act.sub`
// and every earlier actor one `act` deeper, down to the client the human's token was issued to
// (auth0.com/docs/secure/call-apis-on-users-behalf/on-behalf-of-token-exchange, "The act claim":
// `{"sub": "mcp_server_client_id", "act": {"sub": "spa_client_id"}}`). So an agent chain's `chain`
// ends with the web application: agent B exchanging agent A's token is [B, A, web app], and the
// verifier's default depth of 3 admits two agents after the web application.

import { Auth0Adapter } from '@dual-auth/adapter-auth0';
import { createTokenCache } from '@dual-auth/client';
import type { AuditEvent } from '@dual-auth/core';
import { type DualAuthConfig, Secret } from '@dual-auth/core';
import {
  auth0AgentApiIdentifier,
  auth0ChainFixture,
  auth0ExchangeWebClients,
  defaultIdpFixture,
  type IdpProfile,
  requestAuth0HumanToken,
} from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { createVerifier } from '@dual-auth/verifier';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { agentNamed, configFor, HUMAN_ROLE, humanAuthorizerFor, humanNamed } from './harness.ts';

const chainAgents = ['agent-b', 'agent-c', 'agent-d'];
const fixture = auth0ChainFixture(defaultIdpFixture(), chainAgents);
const webApp = auth0ExchangeWebClients()[0]?.clientId ?? '';
const idp = useEmbeddedIdp({ vendors: ['auth0'], fixture, webClients: auth0ExchangeWebClients() });
let profile: IdpProfile;

beforeAll(() => {
  profile = idp.profile('auth0');
});

function adapterFor(agentId: string, audience: string): Auth0Adapter {
  const config: DualAuthConfig = {
    ...configFor(profile, agentNamed(profile, agentId)),
    audience,
    scope: undefined,
  };
  return new Auth0Adapter(config, { mode: 'exchange', retry: { limit: 0 } });
}

async function humanToken(name: string): Promise<Secret> {
  return new Secret(await requestAuth0HumanToken(profile.tokenEndpoint, name));
}

/** `name`'s token exchanged by each agent in turn, each for the next one's API, the last for the API. */
async function chainToken(name: string, agents: readonly string[]): Promise<string> {
  let subjectToken = await humanToken(name);
  const human = humanNamed(profile, name);
  for (const [index, agentId] of agents.entries()) {
    const next = agents[index + 1];
    const audience = next === undefined ? profile.audience : auth0AgentApiIdentifier(fixture, next);
    const token = await adapterFor(agentId, audience).requestToken({
      agentId,
      act: { sub: human.id },
      subjectToken,
    });
    subjectToken = new Secret(token.accessToken);
  }
  return subjectToken.reveal();
}

/** The API's verifier (rfc8693 layout, the directory's humans), its chain depth default unless given. */
async function verify(accessToken: string, maxChainDepth?: number) {
  const events: AuditEvent[] = [];
  const verifier = createVerifier({
    issuer: profile.issuer,
    audience: profile.audience,
    jwksUri: profile.jwksUri,
    vendor: 'auth0',
    layout: 'rfc8693',
    humanAuthorizer: humanAuthorizerFor(profile),
    audit: (event) => void events.push(event),
    ...(maxChainDepth === undefined ? {} : { limits: { maxChainDepth } }),
  });
  const decision = await verifier.verify(
    { authorization: `Bearer ${accessToken}` },
    { humanRoles: [HUMAN_ROLE] },
  );
  return { decision, events };
}

describe('Auth0 exchange mode judged by the rfc8693 verifier', () => {
  it('allows alice through finance-agent: agent finance-agent, chain [finance-agent, web app]', async () => {
    const { decision, events } = await verify(await chainToken('alice', ['finance-agent']));
    expect(decision.allow).toBe(true);
    if (!decision.allow) return;
    expect(decision.human.id).toBe(humanNamed(profile, 'alice').id);
    expect(decision.agent.id).toBe('finance-agent');
    expect(decision.chain).toEqual(['finance-agent', webApp]);
    expect(events[0]?.delegationContext?.chain).toEqual(['finance-agent', webApp]);
  });

  it('denies bob: Auth0 issues his token (no scope asked, none granted), the API refuses the human', async () => {
    const accessToken = await chainToken('bob', ['finance-agent']);
    expect(decodeJwt(accessToken)).toMatchObject({ sub: humanNamed(profile, 'bob').id, permissions: [] });
    const { decision, events } = await verify(accessToken);
    expect(decision.allow).toBe(false);
    if (decision.allow) return;
    expect(decision.code).toMatch(/^human_/);
    expect(events[0]).toMatchObject({ decision: 'deny', agentId: 'finance-agent' });
  });

  it('allows a two-agent chain (agent-b exchanging finance-agent’s token) and audits [agent-b, finance-agent, web app]', async () => {
    const accessToken = await chainToken('alice', ['finance-agent', 'agent-b']);
    expect(decodeJwt(accessToken).act).toEqual({
      sub: 'agent-b',
      act: { sub: 'finance-agent', act: { sub: webApp } },
    });
    const { decision, events } = await verify(accessToken);
    expect(decision.allow).toBe(true);
    if (!decision.allow) return;
    expect(decision.agent.id).toBe('agent-b');
    expect(decision.chain).toEqual(['agent-b', 'finance-agent', webApp]);
    expect(events[0]).toMatchObject({
      decision: 'allow',
      agentId: 'agent-b',
      delegationContext: { chain: ['agent-b', 'finance-agent', webApp] },
    });
  });

  it('denies a four-agent chain with the default depth 3 (delegation_invalid), audited with its actors', async () => {
    const agents = ['finance-agent', 'agent-b', 'agent-c', 'agent-d'];
    const { decision, events } = await verify(await chainToken('alice', agents));
    expect(decision).toMatchObject({
      allow: false,
      code: 'delegation_invalid',
      reason: 'delegation chain is 5 actors deep, more than the 3 allowed',
    });
    expect(events[0]?.delegationContext?.chain).toEqual([...agents].reverse().concat(webApp));
  });

  it('denies a cycle (finance-agent → agent-b → finance-agent), which Auth0 itself issues', async () => {
    const accessToken = await chainToken('alice', ['finance-agent', 'agent-b', 'finance-agent']);
    expect(decodeJwt(accessToken).azp).toBe('finance-agent');
    // Four actors with the web application: a depth that admits them, so the cycle is what denies.
    const { decision } = await verify(accessToken, 5);
    expect(decision).toMatchObject({
      allow: false,
      code: 'delegation_invalid',
      reason: 'delegation chain repeats an actor (a cycle)',
    });
  });
});

describe('Auth0 exchange mode and the token cache', () => {
  it('keys exchanged tokens on the subject token: one per session, never shared across humans', async () => {
    const cache = createTokenCache();
    const adapter = adapterFor('finance-agent', profile.audience);
    const [alice, carol] = [humanNamed(profile, 'alice'), humanNamed(profile, 'carol')];
    const aliceToken = await humanToken('alice');
    const request = (sub: string, subjectToken: Secret) =>
      cache.requestToken(adapter, { agentId: 'finance-agent', act: { sub }, subjectToken });
    const first = await request(alice.id, aliceToken);
    const again = await request(alice.id, aliceToken);
    expect(again.accessToken).toBe(first.accessToken);
    const forCarol = await request(carol.id, await humanToken('carol'));
    expect(decodeJwt(forCarol.accessToken).sub).toBe(carol.id);
    // A second session of alice's (another subject token) is another cache entry, not the first token.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const secondSession = await request(alice.id, await humanToken('alice'));
    expect(secondSession.accessToken).not.toBe(first.accessToken);
  });
});
