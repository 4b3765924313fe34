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
