// The act layout and depth rule of Auth0's On-Behalf-Of token exchange
// (auth0.com/docs/secure/call-apis-on-users-behalf/on-behalf-of-token-exchange, "The act claim": the
// first exchange nests the client the human's token was issued to under the exchanging one, each
// further exchange one level more; "will fail if the subject token already has five nested `act`
// levels", answered "… maximum allowed limit of 4").
import { describe, expect, it } from 'vitest';
import { defaultIdpFixture } from '../default-fixture.ts';
import {
  AUTH0_MAX_SUBJECT_ACT_DEPTH,
  auth0ActDepth,
  auth0AgentApiIdentifier,
  auth0ExchangedAct,
  isAuth0ExchangeAgent,
} from './auth0-token-exchange.ts';

describe('Auth0 on-behalf-of act claims', () => {
  it('nests the originating client under the first exchanging agent (the MCP server example)', () => {
    const userToken = { sub: 'auth0|user123', aud: 'https://mcp-server.example.com', azp: 'spa_client_id' };
    expect(auth0ExchangedAct('mcp_server_client_id', userToken)).toEqual({
      sub: 'mcp_server_client_id',
      act: { sub: 'spa_client_id' },
    });
  });

  it('extends the chain by one level per exchange (the calendar API example)', () => {
    const tokenB = {
      azp: 'mcp_server_client_id',
      act: { sub: 'mcp_server_client_id', act: { sub: 'spa_client_id' } },
    };
    const act = auth0ExchangedAct('first_party_api_client_id', tokenB);
    expect(act).toEqual({
      sub: 'first_party_api_client_id',
      act: { sub: 'mcp_server_client_id', act: { sub: 'spa_client_id' } },
    });
    expect(auth0ActDepth({ act })).toBe(3);
    expect(auth0ActDepth({})).toBe(0);
  });

  it('lets a subject token carry at most four act levels, so an issued token nests at most five', () => {
    expect(AUTH0_MAX_SUBJECT_ACT_DEPTH).toBe(4);
  });

  it('makes the agents holding the agent role Custom API clients, each with its own API', () => {
    const fixture = defaultIdpFixture();
    const [finance, rogue, reader] = fixture.agents;
    expect([finance, rogue, reader].map((agent) => isAuth0ExchangeAgent(fixture, agent))).toEqual([
      true,
      false,
      false,
    ]);
    expect(auth0AgentApiIdentifier(fixture, 'finance-agent')).toBe(
      'https://api.dual-auth.test/agents/finance-agent',
    );
  });
});
