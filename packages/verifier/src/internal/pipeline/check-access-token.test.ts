// The access-token stage on its own: real signed tokens, no human lookup, judge or audit.
import { describe, expect, it } from 'vitest';
import { AGENT, delegation, human, mint, NOW, NOW_MS, testKey } from '../../../test/fixtures.ts';
import { Denial } from '../deny.ts';
import { bearerTokenOf, createAccessTokenCheck, MISSING_TOKEN_REASON } from './check-access-token.ts';
import { resolveOptions } from './resolve-options.ts';

const key = testKey('RS256', 'rsa-1');
const ISSUER = 'https://127.0.0.1:8443/realms/acme';

const resolved = (layout: 'agbac' | 'rfc8693' = 'agbac') =>
  resolveOptions({
    issuer: ISSUER,
    audience: 'finance-api',
    keys: [key.publicJwk],
    vendor: 'keycloak',
    layout,
    humanAuthorizedByIdp: true,
    cache: false,
    clock: () => NOW_MS,
  });

const token = (extra: Record<string, unknown> = {}) =>
  mint(key, {
    iss: ISSUER,
    aud: 'finance-api',
    sub: 'service-account-uuid',
    azp: AGENT,
    typ: 'Bearer',
    iat: NOW - 10,
    exp: NOW + 290,
    realm_access: { roles: ['finance.read'] },
    scope: 'reports',
    act: human,
    delegation,
    agbac_ver: '1.0',
    ...extra,
  });

const checked = async (check: ReturnType<typeof createAccessTokenCheck>, raw: string) =>
  check(`Bearer ${raw}`, raw, NOW_MS);

describe('createAccessTokenCheck', () => {
  it('gives each token its own grants, frozen, when one agent sends tokens one after another', async () => {
    const check = createAccessTokenCheck(resolved());
    const reader = await checked(check, token());
    const writer = await checked(
      check,
      token({ realm_access: { roles: ['finance.read', 'finance.write'] } }),
    );
    const narrower = await checked(check, token({ scope: 'reports payroll' }));
    const readerAgain = await checked(check, token({ jti: 'another' }));
    expect(reader.agent.roles).toEqual(['finance.read']);
    expect(writer.agent.roles).toEqual(['finance.read', 'finance.write']);
    expect(narrower.agent.scopes).toEqual(['reports', 'payroll']);
    expect(readerAgain.agent).toEqual({ id: AGENT, roles: ['finance.read'], scopes: ['reports'] });
    for (const { agent, subjects } of [reader, writer, narrower, readerAgain]) {
      expect(Object.isFrozen(agent) && Object.isFrozen(agent.roles) && Object.isFrozen(agent.scopes)).toBe(
        true,
      );
      expect(Object.isFrozen(subjects) && Object.isFrozen(subjects?.chain)).toBe(true);
      expect(subjects?.chain).toEqual([AGENT]);
    }
  });

  it('gives each token its own chain when the agent changes', async () => {
    const check = createAccessTokenCheck(resolved());
    const first = await checked(check, token());
    const second = await checked(check, token({ azp: 'payroll-agent' }));
    expect(first.subjects?.chain).toEqual([AGENT]);
    expect(second.subjects?.chain).toEqual(['payroll-agent']);
    expect(second.agent.id).toBe('payroll-agent');
  });
});

describe('bearerTokenOf', () => {
  const limits = { maxHeaderLength: 64, maxTokenLength: 40 };
  const reasonOf = (authorization: string | undefined) => {
    try {
      bearerTokenOf(authorization, limits);
    } catch (error) {
      return error instanceof Denial ? error.message : 'not a denial';
    }
    return 'accepted';
  };

  it('takes the token after a Bearer scheme in any case, and refuses what is missing, foreign or too large', () => {
    expect(bearerTokenOf('bEaReR abc.def.ghi ', limits)).toBe('abc.def.ghi');
    expect(reasonOf(undefined)).toBe(MISSING_TOKEN_REASON);
    expect(reasonOf('')).toBe(MISSING_TOKEN_REASON);
    expect(reasonOf('Basic dXNlcjpwYXNz')).toBe('authorization is not a Bearer token');
    expect(reasonOf(`Bearer ${'a'.repeat(41)}`)).toBe('access token is too large');
    expect(reasonOf(`Bearer ${'a'.repeat(60)}`)).toBe('authorization header is too large');
  });
});
