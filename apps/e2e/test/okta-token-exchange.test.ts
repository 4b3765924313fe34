// Exchange mode on the embedded Okta profile, whose On-Behalf-Of Token Exchange follows "Set up
// OAuth 2.0 On-Behalf-Of Token Exchange" (developer.okta.com/docs/guides/set-up-token-exchange):
// the Okta adapter exchanges a human's access token (Resource Owner Password grant of a native app,
// docs/guides/implement-grant-type/ropassword) for one that keeps the human (`uid`, `sub` = their
// login, an email) and names the agent's service app in `cid`, with no `act`. The API's verifier
// reads it with `layout: 'rfc8693'` (its act-less Okta form: human = `uid`, agent = `cid`), the
// agent listed in `onBehalfOfAgents` (Okta marks no exchanged token, and alice's own login token
// has the same form: it is refused, with or without the list), and
// decides: alice allowed; bob (no FinanceUser) human_denied; carol (did not approve the agent)
// denied. An agent no access-policy rule covers is refused by Okta itself (401 access_denied,
// no_matching_policy in Okta's OAuth 2.0 error catalogue), never reaching the API. The token cache
// keys exchanged tokens on the subject token, and neither the subject token nor the human's email
// reaches a log line, an error, a decision's JSON or an audit event.
import { inspect } from 'node:util';
import { OktaAdapter } from '@dual-auth/adapter-okta';
import { createMemoryTokenStore, createTokenCache } from '@dual-auth/client';
import { type AuditEvent, type DualAuthConfig, Secret, type TokenStore } from '@dual-auth/core';
import { type IdpProfile, oktaNativeApp, requestOktaHumanToken } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  agentNamed,
  apiVerifier,
  capturingLogger,
  configFor,
  humanNamed,
  leakedCanaries,
  routeRequirements,
  views,
} from './harness.ts';

const idp = useEmbeddedIdp({ vendors: ['okta'], webClients: [oktaNativeApp] });
let okta: IdpProfile;

beforeAll(() => {
  okta = idp.profile('okta');
});

async function humanToken(name: string): Promise<Secret> {
  return new Secret(await requestOktaHumanToken(okta.tokenEndpoint, name));
}

function exchangeAdapter(agentId: string, options = {}) {
  const config: DualAuthConfig = configFor(okta, agentNamed(okta, agentId));
  return new OktaAdapter(config, { mode: 'exchange', retry: { limit: 0 }, ...options });
}

async function exchanged(name: string, agentId = 'finance-agent') {
  const subjectToken = await humanToken(name);
  const token = await exchangeAdapter(agentId).requestToken({
    agentId,
    act: { sub: humanNamed(okta, name).id },
    subjectToken,
  });
  return { subjectToken, accessToken: token.accessToken };
}

describe('Okta exchange mode: the API decides on the exchanged token (rfc8693 layout)', () => {
  async function decide(
    accessToken: string,
    audit?: (event: AuditEvent) => void,
    /** `null`: a verifier without the list. */
    onBehalfOfAgents: readonly string[] | null = ['finance-agent'],
  ) {
    const { logger, lines } = capturingLogger();
    const verifier = apiVerifier({
      profile: okta,
      layout: 'rfc8693',
      requireDelegation: false,
      ...(onBehalfOfAgents === null ? {} : { onBehalfOfAgents }),
      logger,
      ...(audit === undefined ? {} : { audit }),
    });
    const decision = await verifier.verify(
      { authorization: `Bearer ${accessToken}` },
      routeRequirements('okta'),
    );
    return { decision, lines };
  }

  it('allows alice: the human from uid, the agent from cid, the scopes from scp', async () => {
    const { accessToken } = await exchanged('alice');
    expect(decodeJwt(accessToken)).toMatchObject({ sub: 'alice@example.com', cid: 'finance-agent' });
    const { decision } = await decide(accessToken);
    expect(decision).toMatchObject({
      allow: true,
      agent: { id: 'finance-agent', scopes: [...okta.scope] },
      human: { id: humanNamed(okta, 'alice').id },
      chain: ['finance-agent'],
    });
  });

  it('refuses alice’s own login token (the native app’s): no agent without the list, none listed with it', async () => {
    const own = (await humanToken('alice')).reveal();
    expect(decodeJwt(own)).toMatchObject({ cid: oktaNativeApp.clientId, uid: humanNamed(okta, 'alice').id });
    expect((await decide(own)).decision).toMatchObject({
      allow: false,
      status: 401,
      code: 'token_invalid',
      reason: 'access token has no act claim and its client is not one of onBehalfOfAgents',
    });
    const { decision } = await decide(own, undefined, null);
    expect(decision).toMatchObject({ allow: false, status: 401, code: 'token_invalid' });
    expect(decision.allow || decision.reason).toMatch(/set onBehalfOfAgents to the client ids \(cid\)/);
  });

  it('denies even the agent’s exchanged token without onBehalfOfAgents (fail closed)', async () => {
    const { decision } = await decide((await exchanged('alice')).accessToken, undefined, null);
    expect(decision).toMatchObject({ allow: false, status: 401, code: 'token_invalid' });
  });

  it('denies bob, who lacks the human role: human_denied', async () => {
    const { decision } = await decide((await exchanged('bob')).accessToken);
    expect(decision).toMatchObject({ allow: false, status: 403, code: 'human_denied' });
  });

  // Okta's token names no approval: the API's human directory says whom carol may delegate to.
  it('denies carol, who did not approve the agent: delegation_invalid', async () => {
    const { decision } = await decide((await exchanged('carol')).accessToken);
    expect(decision).toMatchObject({ allow: false, status: 403, code: 'delegation_invalid' });
  });

  it('never gets a token for an agent no access-policy rule covers: Okta refuses the exchange', async () => {
    const subjectToken = await humanToken('alice');
    await expect(
      exchangeAdapter('rogue-agent').requestToken({
        agentId: 'rogue-agent',
        act: { sub: humanNamed(okta, 'alice').id },
        subjectToken,
      }),
    ).rejects.toMatchObject({ status: 401, oauthError: 'access_denied', vendorCode: 'no_matching_policy' });
  });

  it("keeps the subject token and the human's email out of logs, decisions and audit events", async () => {
    const { subjectToken, accessToken } = await exchanged('alice');
    const events: AuditEvent[] = [];
    const { decision, lines } = await decide(accessToken, (event) => events.push(event));
    expect(decision.allow).toBe(true);
    expect(events).toHaveLength(1);
    const texts = [...lines, JSON.stringify(decision), ...events.flatMap((event) => views(event))];
    expect(leakedCanaries(texts, [subjectToken.reveal(), 'alice@example.com'])).toEqual([]);
  });
});

describe('Okta exchange mode: the token cache', () => {
  function recordingStore(): { store: TokenStore; keys: string[] } {
    const inner = createMemoryTokenStore();
    const keys: string[] = [];
    return {
      keys,
      store: {
        get: (key) => inner.get(key),
        set: (key, token) => {
          keys.push(key);
          return inner.set(key, token);
        },
        delete: (key) => inner.delete(key),
      },
    };
  }

  it('keys exchanged tokens on the subject token: one exchange per subject token, never shared across humans', async () => {
    const { store, keys } = recordingStore();
    const cache = createTokenCache({ store });
    const adapter = exchangeAdapter('finance-agent');
    const [alice, carol] = [humanNamed(okta, 'alice'), humanNamed(okta, 'carol')];
    const aliceToken = await humanToken('alice');
    const request = { agentId: 'finance-agent', act: { sub: alice.id }, subjectToken: aliceToken };
    const before = okta.tokenRequestCount();
    const first = await cache.requestToken(adapter, request);
    const again = await cache.requestToken(adapter, request);
    expect(again.accessToken).toBe(first.accessToken);
    expect(okta.tokenRequestCount() - before).toBe(1);

    // Another token of the same human (a new session) is another exchange.
    const aliceAgain = await humanToken('alice');
    const second = await cache.requestToken(adapter, { ...request, subjectToken: aliceAgain });
    expect(second.accessToken).not.toBe(first.accessToken);

    const carolToken = await humanToken('carol');
    const forCarol = await cache.requestToken(adapter, {
      agentId: 'finance-agent',
      act: { sub: carol.id },
      subjectToken: carolToken,
    });
    expect(decodeJwt(forCarol.accessToken).uid).toBe(carol.id);
    expect(new Set(keys).size).toBe(3);
    const subjectTokens = [aliceToken, aliceAgain, carolToken].map((token) => token.reveal());
    expect(leakedCanaries([...keys, inspect(keys)], subjectTokens)).toEqual([]);
  });
});
