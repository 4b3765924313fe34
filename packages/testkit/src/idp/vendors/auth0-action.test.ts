import { describe, expect, it } from 'vitest';
import { defaultIdpFixture } from '../default-fixture.ts';
import { createDirectory } from '../directory.ts';
import { createCredentialsExchangeAction, runCredentialsExchangeAction } from './auth0-action.ts';

const directory = createDirectory('auth0', defaultIdpFixture());
const action = createCredentialsExchangeAction({
  claimNamespace: 'https://dual-auth.dev/',
  agentRole: 'FinanceAgent',
  directory,
});
const human = (name: string) => directory.humans.find((entry) => entry.email.startsWith(name));

function event(body: Record<string, unknown>, clientId = 'finance-agent') {
  return {
    request: { body },
    client: { client_id: clientId, name: clientId },
    resource_server: { identifier: 'https://api.dual-auth.test/finance' },
    transaction: { requested_scopes: [] },
  };
}

describe('the embedded Auth0 profile runs the Action from @dual-auth/iam', () => {
  it('writes namespaced claims from the tenant directory: the human by id only, as shipped', () => {
    const alice = human('alice');
    expect(
      runCredentialsExchangeAction(
        action,
        event({ act: JSON.stringify({ sub: alice?.id }), agbac_ver: '1.0' }),
      ),
    ).toEqual({
      claims: {
        'https://dual-auth.dev/act': { sub: alice?.id },
        'https://dual-auth.dev/agbac_ver': '1.0',
      },
    });
  });

  it('adds the tenant’s email and name when the fixture discloses them', () => {
    const disclosing = createCredentialsExchangeAction({
      claimNamespace: 'https://dual-auth.dev/',
      agentRole: 'FinanceAgent',
      directory: createDirectory('auth0', { ...defaultIdpFixture(), actDisplayClaims: ['email', 'name'] }),
    });
    const alice = human('alice');
    const body = { act: JSON.stringify({ sub: alice?.id, email: 'forged@x.example' }) };
    expect(runCredentialsExchangeAction(disclosing, event(body))).toEqual({
      claims: { 'https://dual-auth.dev/act': { sub: alice?.id, email: alice?.email, name: alice?.name } },
    });
  });

  it('denies malformed input and unapproved clients with the Action’s reasons', () => {
    expect(runCredentialsExchangeAction(action, event({ act: '{"email":"x"}' }))).toEqual({
      denied: { code: 'invalid_request', reason: 'act must be a JSON object with a sub' },
    });
    expect(runCredentialsExchangeAction(action, event({}, 'rogue-agent'))).toEqual({
      denied: { code: 'invalid_request', reason: 'client is not an approved agent (missing FinanceAgent)' },
    });
    expect(runCredentialsExchangeAction(action, event({ act: 'x' }, 'directory-reader'))).toEqual({
      claims: {},
    });
  });

  it('drops restricted claims, as Auth0 does', () => {
    const result = runCredentialsExchangeAction((_event, api) => {
      api.accessToken.setCustomClaim('act', { sub: 'x' });
      api.accessToken.setCustomClaim('https://example.com/act', { sub: 'x' });
    }, event({}));
    expect(result).toEqual({ claims: { 'https://example.com/act': { sub: 'x' } } });
  });
});
