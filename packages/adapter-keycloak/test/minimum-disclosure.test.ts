import { type DualAuthConfig, Secret } from '@dual-auth/core';
import { testConfig } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { KeycloakAdapter } from '../src/index.ts';

// Canary display claims: the embedded Keycloak runs the real act mapper, which takes email and
// name from its own user store, so these can reach the wire only through the client assertion.
const canaryEmail = 'canary.human@example.com';
const canaryName = 'Canary Humanname';

describe('KeycloakAdapter: minimum disclosure on the wire (embedded Keycloak)', () => {
  const idp = useEmbeddedIdp({ vendors: ['keycloak'] });
  let config: (overrides?: Partial<DualAuthConfig>) => DualAuthConfig;
  let humanId: string;

  beforeAll(() => {
    const profile = idp.profile('keycloak');
    const agent = profile.agents.find((candidate) => candidate.clientId === 'finance-agent');
    const human = profile.humans.find((candidate) => candidate.email.startsWith('alice@'));
    if (agent === undefined || human === undefined) throw new TypeError('fixture agent or human missing');
    humanId = human.id;
    config = (overrides = {}) =>
      testConfig({
        vendor: 'keycloak',
        tokenUrl: profile.tokenEndpoint,
        clientId: agent.clientId,
        clientSecret: new Secret(agent.clientSecret),
        scope: profile.scope,
        ...overrides,
      });
  });

  async function wire(adapterConfig: DualAuthConfig) {
    const bodies: string[] = [];
    const recordBody: typeof fetch = async (input, init) => {
      bodies.push(String(init?.body));
      return fetch(input, init);
    };
    const adapter = new KeycloakAdapter(adapterConfig, { fetch: recordBody });
    const { accessToken } = await adapter.requestToken({
      agentId: adapterConfig.clientId,
      act: { sub: humanId, email: canaryEmail, name: canaryName },
    });
    const assertion = new URLSearchParams(bodies[0]).get('client_assertion') ?? '';
    return { assertion: decodeJwt(assertion), token: decodeJwt(accessToken) };
  }

  it('sends only the IAM id in the client assertion by default; the issued token carries no canary', async () => {
    const { assertion, token } = await wire(config());
    expect(assertion.act).toEqual({ sub: humanId });
    for (const decoded of [assertion, token]) {
      expect(JSON.stringify(decoded)).not.toContain(canaryEmail);
      expect(JSON.stringify(decoded)).not.toContain(canaryName);
    }
    expect(token.act).toMatchObject({ sub: humanId });
  });

  it('sends email and name when DUAL_AUTH_ACT_DISPLAY_CLAIMS lists them', async () => {
    const { assertion } = await wire(config({ actDisplayClaims: ['email', 'name'] }));
    expect(assertion.act).toEqual({ sub: humanId, email: canaryEmail, name: canaryName });
  });
});
