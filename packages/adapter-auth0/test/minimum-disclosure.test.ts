import { type Act, type DualAuthConfig, Secret } from '@dual-auth/core';
import { testConfig } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { decodeJwt } from 'jose';
import { beforeAll, expect, it } from 'vitest';
import { Auth0Adapter } from '../src/index.ts';

// The embedded Auth0 runs dual-auth's real credentials-exchange Action, which reads email and name
// from the tenant: a canary can reach the wire only through the adapter's `act` body parameter.
const canary = { email: 'canary.human@example.com', name: 'Canary Humanname' };

const idp = useEmbeddedIdp({ vendors: ['auth0'] });
let baseConfig: DualAuthConfig;
let human: Act;

beforeAll(() => {
  const profile = idp.profile('auth0');
  const agent = profile.agents.find((candidate) => candidate.clientId === 'finance-agent');
  const alice = profile.humans.find((candidate) => candidate.email.startsWith('alice@'));
  if (agent === undefined || alice === undefined) throw new TypeError('fixture agent or human missing');
  human = { sub: alice.id, ...canary };
  baseConfig = testConfig({
    vendor: 'auth0',
    tokenUrl: profile.tokenEndpoint,
    clientId: agent.clientId,
    clientSecret: new Secret(agent.clientSecret),
    audience: profile.audience,
    scope: profile.scope,
  });
});

async function requestRecorded(config: DualAuthConfig) {
  const bodies: string[] = [];
  const adapter = new Auth0Adapter(config, {
    fetch: async (input, init) => {
      bodies.push(String(init?.body));
      return fetch(input, init);
    },
  });
  const { accessToken } = await adapter.requestToken({ agentId: config.clientId, act: human });
  return { sentAct: new URLSearchParams(bodies[0]).get('act'), token: decodeJwt(accessToken), adapter };
}

it('hands the embedded Auth0 Action only the IAM id by default; the token carries no canary', async () => {
  const { sentAct, token, adapter } = await requestRecorded(baseConfig);
  expect(JSON.parse(sentAct ?? '')).toEqual({ sub: human.sub });
  expect(token[adapter.claimNames.act]).toMatchObject({ sub: human.sub });
  for (const value of Object.values(canary)) expect(JSON.stringify(token)).not.toContain(value);
});

it('hands it email and name when DUAL_AUTH_ACT_DISPLAY_CLAIMS lists them', async () => {
  const { sentAct } = await requestRecorded({ ...baseConfig, actDisplayClaims: ['email', 'name'] });
  expect(JSON.parse(sentAct ?? '')).toEqual(human);
});
