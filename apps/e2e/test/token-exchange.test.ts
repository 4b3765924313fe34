// Exchange mode (RFC 8693) on the embedded IdP's Keycloak profile, whose standard token exchange (V2)
// is calibrated against the real Keycloak 26.7.3 (real-keycloak/token-exchange.test.ts): the
// Keycloak adapter exchanges a human's access token (a direct-grant token of a web application) for
// one naming the human in `sub` and the agent in `azp`; Keycloak's refusals reach the caller as
// TokenRequestErrors; the subject token never reaches a log line or an error; and the API's verifier
// with `layout: 'rfc8693'` reads these tokens although Keycloak 26.7.3 names the agent only in `azp`,
// not in `act` (StandardTokenExchangeProvider, keycloak/keycloak; `act` is experimental from 26.8):
// the `te` grant mark of the `jti` (DefaultTokenContextEncoderProvider) tells them from the human's
// own token, which it denies. Okta's exchange mode: okta-token-exchange.test.ts.
import { inspect } from 'node:util';
import { KeycloakAdapter } from '@dual-auth/adapter-keycloak';
import { createTokenCache } from '@dual-auth/client';
import { type DualAuthConfig, Secret, TokenRequestError } from '@dual-auth/core';
import { type IdpProfile, keycloakExchangeWebClients, requestKeycloakHumanToken } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { createVerifier } from '@dual-auth/verifier';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  agentNamed,
  apiVerifier,
  capturingLogger,
  configFor,
  humanAuthorizerFor,
  humanNamed,
  routeRequirements,
} from './harness.ts';

const idp = useEmbeddedIdp({ vendors: ['keycloak'], webClients: keycloakExchangeWebClients() });

async function humanToken(profile: IdpProfile, name: string, webClient = 0): Promise<Secret> {
  return new Secret(await requestKeycloakHumanToken(profile.tokenEndpoint, name, webClient));
}

function exchangeAdapter(profile: IdpProfile, agentId: string, options = {}) {
  const config: DualAuthConfig = configFor(profile, agentNamed(profile, agentId));
  return new KeycloakAdapter(config, { mode: 'exchange', retry: { limit: 0 }, ...options });
}

describe('Keycloak exchange mode on the embedded IdP', () => {
  it('exchanges alice’s token: alice in sub, the agent in azp, the API in aud', async () => {
    const profile = idp.profile('keycloak');
    const alice = humanNamed(profile, 'alice');
    const adapter = exchangeAdapter(profile, 'finance-agent');
    expect(adapter.mode).toBe('exchange');
    const token = await adapter.requestToken({
      agentId: 'finance-agent',
      act: { sub: alice.id },
      subjectToken: await humanToken(profile, 'alice'),
    });
    const claims = decodeJwt(token.accessToken);
    expect(claims).toMatchObject({ iss: profile.issuer, sub: alice.id, azp: 'finance-agent', typ: 'Bearer' });
    expect(claims.aud).toContain(profile.audience);
    expect(claims.act).toBeUndefined();
    expect(token.actAssertion).toBeUndefined();
  });

  it.each([
    ['an agent without standard token exchange', 'rogue-agent', 0, 400, 'invalid_request'],
    ['a subject token whose audience does not name the agent', 'finance-agent', 1, 403, 'access_denied'],
  ])(
    'maps Keycloak’s refusal of %s to a TokenRequestError',
    async (_name, agentId, webClient, status, oauthError) => {
      const profile = idp.profile('keycloak');
      const { logger, lines } = capturingLogger();
      const subjectToken = await humanToken(profile, 'alice', webClient);
      const adapter = exchangeAdapter(profile, agentId, { logger });
      const error = await adapter
        .requestToken({ agentId, act: { sub: humanNamed(profile, 'alice').id }, subjectToken })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TokenRequestError);
      expect(error).toMatchObject({ status, oauthError });
      // The human's token is in no log line, error text, JSON or inspect output.
      const leaked = [...lines, String(error), JSON.stringify(error), inspect(error, { depth: 5 })].filter(
        (text) => text.includes(subjectToken.reveal()),
      );
      expect(leaked).toEqual([]);
    },
  );

  it('refuses a request without a subject token, and a subject token outside exchange mode', async () => {
    const profile = idp.profile('keycloak');
    const alice = humanNamed(profile, 'alice');
    await expect(
      exchangeAdapter(profile, 'finance-agent').requestToken({
        agentId: 'finance-agent',
        act: { sub: alice.id },
      }),
    ).rejects.toThrow(/exchange mode needs subjectToken/);
    const agbac = new KeycloakAdapter(configFor(profile, agentNamed(profile, 'finance-agent')), {
      mode: 'agbac',
    });
    await expect(
      agbac.requestToken({ agentId: 'finance-agent', act: { sub: alice.id }, subjectToken: new Secret('x') }),
    ).rejects.toThrow(/subjectToken is for exchange mode only/);
  });

  it('keys cached exchanged tokens on the subject token: two humans never share one', async () => {
    const profile = idp.profile('keycloak');
    const cache = createTokenCache();
    const adapter = exchangeAdapter(profile, 'finance-agent');
    const [alice, carol] = [humanNamed(profile, 'alice'), humanNamed(profile, 'carol')];
    const aliceToken = await humanToken(profile, 'alice');
    const first = await cache.requestToken(adapter, {
      agentId: 'finance-agent',
      act: { sub: alice.id },
      subjectToken: aliceToken,
    });
    const again = await cache.requestToken(adapter, {
      agentId: 'finance-agent',
      act: { sub: alice.id },
      subjectToken: aliceToken,
    });
    const forCarol = await cache.requestToken(adapter, {
      agentId: 'finance-agent',
      act: { sub: carol.id },
      subjectToken: await humanToken(profile, 'carol'),
    });
    expect(again.accessToken).toBe(first.accessToken);
    expect(decodeJwt(forCarol.accessToken).sub).toBe(carol.id);
  });

  it('is read by the rfc8693 verifier: alice in sub, the agent in azp (its jti marks an exchange)', async () => {
    const profile = idp.profile('keycloak');
    const alice = humanNamed(profile, 'alice');
    const token = await exchangeAdapter(profile, 'finance-agent').requestToken({
      agentId: 'finance-agent',
      act: { sub: alice.id },
      subjectToken: await humanToken(profile, 'alice'),
    });
    const humanRoles = routeRequirements('keycloak').humanRoles ?? [];
    const authorization = `Bearer ${token.accessToken}`;
    // The `te` mark is Keycloak's signed word, so no list is needed; a list, when given, holds.
    for (const onBehalfOfAgents of [undefined, ['finance-agent']]) {
      const verifier = apiVerifier({
        profile,
        layout: 'rfc8693',
        ...(onBehalfOfAgents && { onBehalfOfAgents }),
      });
      expect(await verifier.verify({ authorization }, { humanRoles })).toMatchObject({
        allow: true,
        human: { id: alice.id },
        agent: { id: 'finance-agent', roles: [] },
        chain: ['finance-agent'],
      });
    }
    const listingAnother = apiVerifier({ profile, layout: 'rfc8693', onBehalfOfAgents: ['other-agent'] });
    expect(await listingAnother.verify({ authorization }, { humanRoles })).toMatchObject({
      allow: false,
      code: 'token_invalid',
      reason: 'access token has no act claim and its client is not one of onBehalfOfAgents',
    });
  });

  it('denies, in the rfc8693 layout, the human’s own token and an exchange for a human not entitled', async () => {
    const profile = idp.profile('keycloak');
    // An API that also takes the web application's tokens (their `aud` names the exchange agents):
    // alice's own token there has the exchanged token's layout, but no exchange mark.
    const verifier = createVerifier({
      issuer: profile.issuer,
      audience: [profile.audience, 'finance-agent'],
      jwksUri: profile.jwksUri,
      vendor: 'keycloak',
      layout: 'rfc8693',
      humanAuthorizer: humanAuthorizerFor(profile),
    });
    const humanRoles = routeRequirements('keycloak').humanRoles ?? [];
    const own = await verifier.verify(
      { authorization: `Bearer ${(await humanToken(profile, 'alice')).reveal()}` },
      { humanRoles },
    );
    expect(own).toMatchObject({
      allow: false,
      code: 'token_invalid',
      reason: 'access token has no act claim (no acting agent)',
    });
    const bob = humanNamed(profile, 'bob');
    const forBob = await exchangeAdapter(profile, 'finance-agent').requestToken({
      agentId: 'finance-agent',
      act: { sub: bob.id },
      subjectToken: await humanToken(profile, 'bob'),
    });
    const denied = await verifier.verify({ authorization: `Bearer ${forBob.accessToken}` }, { humanRoles });
    expect(denied).toMatchObject({ allow: false, code: 'human_denied', human: { id: bob.id } });
  });
});
