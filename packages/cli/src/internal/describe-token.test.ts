import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { describeToken, normalizeTokenInput } from './describe-token.ts';

const { privateKey } = generateKeyPairSync('ed25519');
const now = Math.floor(Date.now() / 1000);

function token(payload: Record<string, unknown>, typ = 'at+jwt') {
  return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ }).sign(privateKey);
}

describe('describeToken', () => {
  it('reads the RFC 8693 layout: human in sub, agent and chain in act', async () => {
    const description = describeToken(
      await token({
        iss: 'https://tenant.auth0.com/',
        sub: 'auth0|alice',
        azp: 'finance-agent',
        act: { sub: 'finance-agent@clients', act: { sub: 'orchestrator@clients' } },
        exp: now - 10,
      }),
    );
    expect(description).toMatchObject({
      layout: 'rfc8693',
      human: { sub: 'auth0|alice', claim: 'sub' },
      agent: { id: 'finance-agent' },
      chain: ['finance-agent', 'orchestrator'],
      expired: true,
    });
  });

  it('calls an act without any AGBAC or RFC 8693 sign ambiguous rather than guessing', async () => {
    const description = describeToken(
      await token({ iss: 'https://idp.example', azp: 'agent', act: { sub: 'u1' } }),
    );
    expect(description.layout).toBe('ambiguous');
    expect(description.vendor).toBe('unknown');
  });

  it('recognises act JWTs, ID tokens and each vendor', async () => {
    expect(describeToken(await token({ act: { sub: 'u1' }, jti: 'j' }, 'act+jwt')).kind).toBe('act-jwt');
    expect(describeToken(await token({ nonce: 'n', sub: 'u1' }, 'JWT')).kind).toBe('id-token');
    const okta = await token({ iss: 'https://x.okta.com/oauth2/default', cid: 'a', scp: ['s'], jti: 'AT.1' });
    expect(describeToken(okta)).toMatchObject({ vendor: 'okta', scopes: ['s'], agent: { id: 'a' } });
    const entra = await token({
      iss: 'https://login.microsoftonline.com/t/v2.0',
      tid: 't',
      azp: 'app',
      roles: ['R'],
    });
    expect(describeToken(entra)).toMatchObject({ vendor: 'entraid', roles: ['R'], layout: 'hybrid' });
  });

  it('normalizes input: Bearer prefix and whitespace; refuses JWE and junk', () => {
    expect(normalizeTokenInput('  Bearer a.b.c\n')).toBe('a.b.c');
    expect(() => normalizeTokenInput('a.b.c.d.e')).toThrow(/not a JWT/);
    expect(() => normalizeTokenInput('')).toThrow(/no token/);
    expect(() => normalizeTokenInput(`a.${'b'.repeat(70_000)}.c`)).toThrow(/longer/);
  });
});

describe('describeToken: on-behalf-of tokens without act, per vendor', () => {
  const keycloak = {
    iss: 'https://127.0.0.1:8443/realms/dual-auth',
    sub: '5b6c7d8e-0000-4000-8000-00000000a11c',
    typ: 'Bearer',
    azp: 'finance-agent',
    realm_access: { roles: ['FinanceUser'] },
  };

  it.each([
    [
      'Keycloak exchanged (jti te)',
      { ...keycloak, jti: 'ntrtte:0b1c2d3e-0000-4000-8000-000000000001' },
      { sub: keycloak.sub, claim: 'sub' },
      'finance-agent',
    ],
    [
      'Okta on-behalf-of (uid, cid)',
      {
        iss: 'https://acme.okta.com/oauth2/default',
        jti: 'AT.obo',
        uid: '00u1a2b3c4',
        sub: 'alice@example.com',
        cid: 'finance-agent',
        scp: ['finance.read'],
      },
      { sub: '00u1a2b3c4', claim: 'uid' },
      'finance-agent',
    ],
    [
      'Entra ID on-behalf-of (oid, azp, scp)',
      {
        iss: 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0',
        tid: '11111111-2222-3333-4444-555555555555',
        oid: '4b5c6d7e-0000-4000-8000-0000000a11ce',
        sub: 'pairwise',
        azp: 'finance-agent',
        azpacr: '1',
        scp: 'Finance.Read',
      },
      { sub: '4b5c6d7e-0000-4000-8000-0000000a11ce', claim: 'oid' },
      'finance-agent',
    ],
  ])('reads %s as rfc8693: the human, the agent, chain [agent]', async (_name, payload, human, agent) => {
    const description = describeToken(await token(payload, 'JWT'));
    expect(description).toMatchObject({ layout: 'rfc8693', human, agent: { id: agent }, chain: [agent] });
  });

  it('gives a Keycloak exchanged token’s agent no roles (they are the human’s)', async () => {
    const description = describeToken(await token({ ...keycloak, jti: 'onrtte:x1' }, 'JWT'));
    expect(description.roles).toEqual([]);
  });

  it.each([
    ['the human’s own Keycloak token (jti ro)', { ...keycloak, jti: 'onrtro:0b1c2d3e' }],
    ['a Keycloak token without the mark', { ...keycloak, jti: '0b1c2d3e-0000' }],
  ])('reads %s as no delegation, a user’s token or a plain agent token', async (_name, payload) => {
    const description = describeToken(await token(payload, 'JWT'));
    expect(description.layout).toBe('hybrid');
    // The human's own login token has exactly a hybrid agent token's claims: say both, not "agent".
    expect(description.layoutReason).toMatch(
      /^no act claim and no IdP mark of delegation: a user's own login token/,
    );
    expect(description.layoutReason).toContain("the two cannot be told apart without the IdP's mark");
  });

  it.each([
    ['Okta', { iss: 'https://acme.okta.com/oauth2/default', uid: '00u1a2b3c4', cid: 'a', scp: ['s'] }, 'cid'],
    [
      'Entra ID',
      { iss: 'https://login.microsoftonline.com/t/v2.0', tid: 't', oid: 'o-1', azp: 'a', scp: 'S' },
      'azp',
    ],
  ])(
    'says the verifier reads a %s token without act only from listed agents',
    async (_vendor, payload, claim) => {
      const description = describeToken(await token(payload, 'JWT'));
      expect(description.layout).toBe('rfc8693');
      expect(description.layoutReason).toContain(
        `the verifier reads it only when onBehalfOfAgents lists its ${claim}`,
      );
    },
  );
});
