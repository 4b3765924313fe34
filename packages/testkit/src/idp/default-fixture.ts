import { readFileSync } from 'node:fs';
import type { Vendor } from '@dual-auth/core';
import type { JWK } from 'jose';
import type { AgentFixture, IdpFixture } from './types.ts';

interface FixtureKeys {
  readonly signing: Readonly<Record<Vendor, JWK>>;
  readonly agents: Readonly<Record<string, JWK>>;
}

let keys: FixtureKeys | undefined;

/** The testkit's fixed keys (test use only): the IdP signing keys and the agents' client keys. */
export function fixtureKeys(): FixtureKeys {
  keys ??= JSON.parse(
    readFileSync(new URL('../../fixtures/idp-keys.json', import.meta.url), 'utf8'),
  ) as FixtureKeys;
  return keys;
}

function publicPart(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
  return publicJwk;
}

function agent(clientId: string, roles: string[], kind: AgentFixture['kind'] = 'agent'): AgentFixture {
  const privateJwk = fixtureKeys().agents[clientId];
  return {
    clientId,
    clientSecret: `${clientId}-secret-0123456789abcdef0123456789abcdef`,
    ...(privateJwk ? { privateJwk, publicJwk: publicPart(privateJwk) } : {}),
    authMethods: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'],
    roles,
    kind,
  };
}

/**
 * The default directory: one approved agent and one without its role; alice (approved, has her
 * role), bob (lacks the human role), carol (has the role but did not approve the agent); and a
 * directory reader. Exactly the rows of the AGBAC ALLOW/DENY table.
 *
 * @example
 * ```ts
 * const idp = await startEmbeddedIdp({ fixture: { ...defaultIdpFixture(), agentRole: 'BillingAgent' } });
 * ```
 */
export function defaultIdpFixture(): IdpFixture {
  return {
    realm: 'dual-auth',
    oktaAuthServerId: 'aus-dual-auth',
    entraTenantId: '7a3e5c1d-4b2f-4e8a-9c6d-2f1e0b9a8c7d',
    api: { identifier: 'https://api.dual-auth.test/finance', scopes: ['finance.read', 'finance.write'] },
    agentRole: 'FinanceAgent',
    humanRole: 'FinanceUser',
    auth0ActClaim: 'https://dual-auth.dev/act',
    agents: [
      agent('finance-agent', ['FinanceAgent']),
      agent('rogue-agent', ['Reporting']),
      agent('directory-reader', ['DirectoryReader'], 'directory-reader'),
    ],
    humans: [
      {
        id: 'alice',
        email: 'alice@example.com',
        name: 'Alice Approved',
        roles: ['FinanceUser'],
        approvedAgents: ['finance-agent'],
      },
      {
        id: 'bob',
        email: 'bob@example.com',
        name: 'Bob Unentitled',
        roles: ['Staff'],
        approvedAgents: ['finance-agent'],
      },
      {
        id: 'carol',
        email: 'carol@example.com',
        name: 'Carol Unapproved',
        roles: ['FinanceUser'],
        approvedAgents: [],
      },
    ],
  };
}
