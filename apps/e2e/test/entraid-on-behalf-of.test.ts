// Exchange mode for Microsoft Entra ID: the on-behalf-of flow (OBO) on the embedded IdP's Entra
// profile. The agent app redeems the human's access token for the agent app (`aud` = the agent) with
// `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`, `assertion`, `requested_token_use=
// on_behalf_of` and the API's scope (learn.microsoft.com/entra/identity-platform/
// v2-oauth2-on-behalf-of-flow, "Middle-tier access token request"); the delegated token names the
// human in `oid` (`sub` is pairwise), the agent in `azp`, the granted scopes in `scp`
// (access-token-claims-reference). Entra's refusals reach the caller as TokenRequestErrors with the
// AADSTS code and what to do; the human's token never reaches a log, an error or JSON; the API's
// verifier with `layout: 'rfc8693'` reads the token by Entra's act-less form, the agent listed in
// `onBehalfOfAgents` (Entra marks no on-behalf-of token; without the list every such token is refused).
import { inspect } from 'node:util';
import { EntraIDAdapter } from '@dual-auth/adapter-entraid';
import { createTokenCache } from '@dual-auth/client';
import { type DualAuthConfig, Secret, TokenRequestError } from '@dual-auth/core';
import {
  defaultIdpFixture,
  entraExchangeWebClients,
  type IdpProfile,
  requestEntraHumanToken,
} from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { agentNamed, apiVerifier, capturingLogger, configFor, HUMAN_ROLE, humanNamed } from './harness.ts';

const idp = useEmbeddedIdp({ vendors: ['entraid'], webClients: entraExchangeWebClients() });

/** The delegated scopes of the fixture API that an OBO route asks of the agent. */
const oboRequirements = { agentScopes: ['finance.read'], humanRoles: [HUMAN_ROLE] };

function profile(): IdpProfile {
  return idp.profile('entraid');
}

async function humanToken(name: string, scope?: string): Promise<Secret> {
  return new Secret(await requestEntraHumanToken(profile().tokenEndpoint, name, scope));
}

function exchangeAdapter(agentId: string, options = {}, scope?: readonly string[]) {
  const base: DualAuthConfig = configFor(profile(), agentNamed(profile(), agentId));
  const config = scope === undefined ? base : { ...base, scope };
  return new EntraIDAdapter(config, { mode: 'exchange', retry: { limit: 0 }, ...options });
}

describe('Entra ID exchange mode (on-behalf-of) on the embedded IdP', () => {
  it('sends the OBO request on the wire and gets alice’s delegated token: oid, azp, scp, pairwise sub', async () => {
    const alice = humanNamed(profile(), 'alice');
    const bodies: URLSearchParams[] = [];
    const adapter = exchangeAdapter('finance-agent', {
      fetch: (input: string | URL | Request, init?: RequestInit) => {
        bodies.push(new URLSearchParams(String(init?.body)));
        return fetch(input, init);
      },
    });
    expect(adapter).toMatchObject({ mode: 'exchange', authMethod: 'client_secret_post' });
    const subjectToken = await humanToken('alice');
    expect(decodeJwt(subjectToken.reveal())).toMatchObject({ aud: 'finance-agent', scp: 'access_as_user' });
    const token = await adapter.requestToken({
      agentId: 'finance-agent',
      act: { sub: alice.id, oid: alice.id },
      subjectToken,
    });
    expect(Object.fromEntries(bodies[0] ?? [])).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: subjectToken.reveal(),
      requested_token_use: 'on_behalf_of',
      scope: 'https://api.dual-auth.test/finance/.default',
      client_id: 'finance-agent',
      client_secret: agentNamed(profile(), 'finance-agent').clientSecret,
    });
    const claims = decodeJwt(token.accessToken);
    expect(claims).toMatchObject({
      iss: profile().issuer,
      aud: profile().audience,
      oid: alice.id,
      azp: 'finance-agent',
      azpacr: '1',
      scp: 'finance.read finance.write',
      roles: ['FinanceUser'],
      ver: '2.0',
    });
    expect(claims.sub).not.toBe(alice.id);
    expect(claims.sub).not.toBe(decodeJwt(subjectToken.reveal()).sub);
    expect(claims.act).toBeUndefined();
    expect(claims.idtyp).toBeUndefined();
    expect(token.actAssertion).toBeUndefined();
  });

  it('narrows scp to the delegated scopes API_SCOPE lists', async () => {
    const alice = humanNamed(profile(), 'alice');
    const token = await exchangeAdapter('finance-agent', {}, [
      'https://api.dual-auth.test/finance/finance.read',
    ]).requestToken({
      agentId: 'finance-agent',
      act: { sub: alice.id },
      subjectToken: await humanToken('alice'),
    });
    expect(decodeJwt(token.accessToken).scp).toBe('finance.read');
  });

  it.each([
    [
      'an agent app nobody consented to (consent_required)',
      'rogue-agent',
      'api://rogue-agent/access_as_user',
      undefined,
      'invalid_grant',
      'AADSTS65001',
      /Fix: consent_required/,
    ],
    [
      'a human token for another application (Microsoft Graph)',
      'finance-agent',
      'openid profile User.Read',
      undefined,
      'invalid_grant',
      'AADSTS500131',
      /Fix: the human's token was issued for another application/,
    ],
    [
      'a scope the API does not expose',
      'finance-agent',
      undefined,
      ['https://api.dual-auth.test/finance/finance.delete'],
      'invalid_scope',
      'AADSTS70011',
      /Fix: API_SCOPE names a scope the API does not expose/,
    ],
    [
      'a scope of another resource',
      'finance-agent',
      undefined,
      ['https://api.dual-auth.test/payroll/.default'],
      'invalid_resource',
      'AADSTS500011',
      /was not found in the tenant/,
    ],
  ])(
    'maps Entra’s refusal of %s to a TokenRequestError',
    async (_name, agentId, humanScope, apiScope, oauthError, vendorCode, message) => {
      const { logger, lines } = capturingLogger();
      const subjectToken = await humanToken('alice', humanScope);
      const adapter = exchangeAdapter(agentId, { logger }, apiScope);
      const error = await adapter
        .requestToken({ agentId, act: { sub: humanNamed(profile(), 'alice').id }, subjectToken })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TokenRequestError);
      expect(error).toMatchObject({ status: 400, oauthError, vendorCode });
      expect((error as Error).message).toMatch(message);
      // The human's token is in no log line, error text, JSON or inspect output.
      const leaked = [...lines, String(error), JSON.stringify(error), inspect(error, { depth: 5 })].filter(
        (text) => text.includes(subjectToken.reveal()),
      );
      expect(leaked).toEqual([]);
    },
  );

  it('maps an assertion that is no user token of the tenant to AADSTS50013, without echoing it', async () => {
    const canary = 'eyJhbGciOiJSUzI1NiJ9.eyJjYW5hcnkiOiJvYm8ifQ.Y2FuYXJ5LW9iby1hc3NlcnRpb24';
    const error = await exchangeAdapter('finance-agent')
      .requestToken({ agentId: 'finance-agent', act: { sub: 'alice' }, subjectToken: new Secret(canary) })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, oauthError: 'invalid_grant', vendorCode: 'AADSTS50013' });
    expect((error as Error).message).toMatch(/Fix: the human's token is not a valid access token/);
    expect([String(error), JSON.stringify(error), inspect(error, { depth: 5 })].join('\n')).not.toContain(
      canary,
    );
  });

  it('lets the rfc8693 verifier allow alice, deny bob (no human role) and carol (did not approve the agent)', async () => {
    const adapter = exchangeAdapter('finance-agent');
    const verifier = apiVerifier({
      profile: profile(),
      layout: 'rfc8693',
      onBehalfOfAgents: ['finance-agent'],
    });
    const decide = async (name: string) => {
      const human = humanNamed(profile(), name);
      const token = await adapter.requestToken({
        agentId: 'finance-agent',
        act: { sub: human.id, oid: human.id },
        subjectToken: await humanToken(name),
      });
      return verifier.verify({ authorization: `Bearer ${token.accessToken}` }, oboRequirements);
    };
    const alice = await decide('alice');
    expect(alice).toMatchObject({
      allow: true,
      agent: { id: 'finance-agent' },
      human: { id: humanNamed(profile(), 'alice').id },
      chain: ['finance-agent'],
    });
    expect(await decide('bob')).toMatchObject({ allow: false, status: 403, code: 'human_denied' });
    expect(await decide('carol')).toMatchObject({ allow: false, status: 403, code: 'delegation_invalid' });
  });

  it('does not take the human’s roles in a delegated token for the agent’s roles', async () => {
    const alice = humanNamed(profile(), 'alice');
    const token = await exchangeAdapter('finance-agent').requestToken({
      agentId: 'finance-agent',
      act: { sub: alice.id },
      subjectToken: await humanToken('alice'),
    });
    // alice holds FinanceUser on the API, which the OBO token's `roles` carry (claims, `roles`: "For
    // user tokens, … the assigned roles of the user on the target application").
    expect(decodeJwt(token.accessToken).roles).toEqual([HUMAN_ROLE]);
    const decision = await apiVerifier({
      profile: profile(),
      layout: 'rfc8693',
      onBehalfOfAgents: ['finance-agent'],
    }).verify(
      { authorization: `Bearer ${token.accessToken}` },
      { agentRoles: [HUMAN_ROLE], humanRoles: [HUMAN_ROLE] },
    );
    expect(decision).toMatchObject({ allow: false, status: 403 });
    expect(decision.subjects.agent.ok).toBe(false);
  });

  it('keys cached exchanged tokens on the subject token: two humans never share one', async () => {
    const cache = createTokenCache();
    const adapter = exchangeAdapter('finance-agent');
    const [alice, carol] = [humanNamed(profile(), 'alice'), humanNamed(profile(), 'carol')];
    const aliceToken = await humanToken('alice');
    const request = (human: typeof alice, subjectToken: Secret) =>
      cache.requestToken(adapter, {
        agentId: 'finance-agent',
        act: { sub: human.id, oid: human.id },
        subjectToken,
      });
    const first = await request(alice, aliceToken);
    const again = await request(alice, aliceToken);
    const otherSession = await request(alice, await humanToken('alice'));
    const forCarol = await request(carol, await humanToken('carol'));
    expect(again.accessToken).toBe(first.accessToken);
    expect(otherSession.accessToken).not.toBe(first.accessToken);
    expect(decodeJwt(forCarol.accessToken).oid).toBe(carol.id);
  });
});

describe('Entra ID Conditional Access on the embedded IdP: a claims challenge reaches the caller', () => {
  // obo's error response example: interaction_required AADSTS50079 with a `claims` challenge the
  // web application sends back as the authorize request's `claims` parameter (learn.microsoft.com/
  // entra/identity-platform/v2-oauth2-on-behalf-of-flow, claims-challenge).
  const challenge =
    '{"access_token":{"polids":{"essential":true,"values":["9ab03e19-ed42-4168-b6b7-7001fb3e933a"]}}}';
  const mfaIdp = useEmbeddedIdp({
    vendors: ['entraid'],
    webClients: entraExchangeWebClients(),
    fixture: { ...defaultIdpFixture(), entraMfaRequiredHumans: ['alice'] },
  });

  it('refuses alice with interaction_required, keeps the challenge on the error and out of logs', async () => {
    const mfaProfile = mfaIdp.profile('entraid');
    const { logger, lines } = capturingLogger();
    const adapter = new EntraIDAdapter(configFor(mfaProfile, agentNamed(mfaProfile, 'finance-agent')), {
      mode: 'exchange',
      retry: { limit: 0 },
      logger,
    });
    const error = await adapter
      .requestToken({
        agentId: 'finance-agent',
        act: { sub: 'alice' },
        subjectToken: new Secret(await requestEntraHumanToken(mfaProfile.tokenEndpoint, 'alice')),
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({
      status: 400,
      oauthError: 'interaction_required',
      vendorCode: 'AADSTS50079',
    });
    expect((error as TokenRequestError).claimsChallenge).toBe(challenge);
    expect((error as Error).message).toContain('claimsChallenge as the `claims` parameter');
    const policyId = '9ab03e19-ed42-4168-b6b7-7001fb3e933a';
    const leaked = [...lines, String(error), JSON.stringify(error), inspect(error, { depth: 5 })].filter(
      (text) => text.includes(policyId),
    );
    expect(leaked).toEqual([]);
  });
});
