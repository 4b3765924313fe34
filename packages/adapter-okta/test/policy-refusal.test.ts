// A client no access-policy rule matches, against the embedded Okta profile. Okta answers 401
// access_denied "Policy evaluation failed for this request, please check the policy
// configurations." (no_matching_policy in Okta's OAuth 2.0 error catalogue,
// okta/okta-developer-docs packages/@okta/vuepress-site/data/oauth2-error-codes.json); the adapter
// says which rule to add, naming the authorization server and the client, never the secret.
import { Secret, TokenRequestError } from '@dual-auth/core';
import { testConfig } from '@dual-auth/testkit';
import { useEmbeddedIdp } from '@dual-auth/testkit/conformance';
import { describe, expect, it } from 'vitest';
import { OktaAdapter } from '../src/index.ts';

const idp = useEmbeddedIdp({ vendors: ['okta'] });

function adapterFor(clientId: string) {
  const profile = idp.profile('okta');
  const agent = profile.agents.find((candidate) => candidate.clientId === clientId);
  if (agent === undefined) throw new Error(`fixture agent ${clientId} missing`);
  const config = testConfig({
    vendor: 'okta',
    tokenUrl: profile.tokenEndpoint,
    clientId,
    clientSecret: new Secret(agent.clientSecret),
    audience: profile.audience,
    scope: ['finance.read'],
  });
  return { adapter: new OktaAdapter(config, { signActAssertion: async () => 'act' }), agent };
}

describe('OktaAdapter: no matching access-policy rule', () => {
  it('throws a TokenRequestError that names the authorization server, the client and the scopes to allow', async () => {
    const { adapter, agent } = adapterFor('rogue-agent');
    const error = await adapter.requestToken({ agentId: 'rogue-agent', act: { sub: '00u1' } }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({
      code: 'ERR_TOKEN_REQUEST',
      status: 401,
      oauthError: 'access_denied',
      vendorCode: 'no_matching_policy',
    });
    const { message } = error as TokenRequestError;
    expect(message).toContain('Policy evaluation failed');
    expect(message).toContain('authorization server aus-dual-auth');
    expect(message).toContain('client rogue-agent');
    expect(message).toContain('scope finance.read');
    expect(message).toMatch(/add an access policy assigned to this client/i);
    expect(message).not.toContain(agent.clientSecret);
    expect(JSON.stringify(error)).not.toContain(agent.clientSecret);
    expect((error as TokenRequestError).cause).toBeInstanceOf(TokenRequestError);
  });

  it('leaves other refusals as they are', async () => {
    const { adapter } = adapterFor('finance-agent');
    await expect(
      adapter.requestToken({ agentId: 'finance-agent', act: { sub: '00u1' }, scope: ['payroll.admin'] }),
    ).rejects.toMatchObject({ status: 400, oauthError: 'invalid_scope', vendorCode: undefined });
  });
});
