// The shipped act mapper (@dual-auth/iam's script mapper JAR, `--features=scripts`) on a real
// Keycloak: it copies act/delegation/agbac_ver from the verified client assertion into real tokens,
// and, since a script mapper cannot fail a token request (Keycloak catches what a mapper script
// throws), a human who may not be delegated gets a token WITHOUT act and with `dual_auth_refusal`,
// which the verifier at the API denies.
import { AGBAC_VERSION, type TokenResponse } from '@dual-auth/core';
import { trustTestCa } from '@dual-auth/testkit';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { agentOf, humanOf, realAdapter, realRealm, realVerifier } from './harness.ts';

let untrust: () => void;
beforeAll(() => {
  untrust = trustTestCa();
});
afterAll(() => untrust?.());

const requirements = { agentRoles: ['dual-auth-agent'], humanRoles: ['dual-auth-human'] };

describe.each(['client_secret_jwt', 'private_key_jwt'] as const)('real Keycloak, %s', (clientAuth) => {
  it(`is Keycloak ${'26.7.3'} from Maven Central`, () => {
    expect(inject('realKeycloak').version).toBe('26.7.3');
  });

  it('copies act (the human by id only: minimum disclosure), delegation and agbac_ver into the real token, and the verifier allows it', async () => {
    const realm = realRealm(clientAuth);
    const alice = humanOf(realm, 'alice');
    const adapter = realAdapter(realm, agentOf(realm, 'finance-agent'));
    const tokenResponse: TokenResponse = await adapter.requestToken({
      agentId: 'finance-agent',
      act: { sub: alice.id, email: 'forged@evil.example', name: 'Forged' },
    });
    const claims = decodeJwt(tokenResponse.accessToken);
    expect(claims).toMatchObject({
      iss: realm.issuer,
      azp: 'finance-agent',
      delegation: { method: 'explicit', granted_at: expect.any(Number) },
      agbac_ver: AGBAC_VERSION,
      realm_access: { roles: expect.arrayContaining(['dual-auth-agent']) },
    });
    // Neither the forged email and name nor the realm's: the shipped mapper discloses only act.sub.
    expect(claims.act).toEqual({ sub: alice.id });
    expect(claims.aud).toContain(realm.audience);
    expect(claims.dual_auth_refusal).toBeUndefined();
    const decision = await realVerifier(realm).verify(
      { authorization: `Bearer ${tokenResponse.accessToken}` },
      requirements,
    );
    expect(decision).toMatchObject({ allow: true, agent: { id: 'finance-agent' }, human: { id: alice.id } });
  });

  it.each([
    ['bob', 'lacks the role dual-auth-human'],
    ['carol', 'has not approved agent finance-agent'],
  ])(
    'issues %s a token without act, with dual_auth_refusal, which the verifier denies',
    async (name, reason) => {
      const realm = realRealm(clientAuth);
      const human = humanOf(realm, name);
      const adapter = realAdapter(realm, agentOf(realm, 'finance-agent'));
      const tokenResponse = await adapter.requestToken({ agentId: 'finance-agent', act: { sub: human.id } });
      const claims = decodeJwt(tokenResponse.accessToken);
      expect(claims.act).toBeUndefined();
      expect(claims.delegation).toBeUndefined();
      expect(claims.dual_auth_refusal).toBe(`user ${human.id} ${reason}`);
      const decision = await realVerifier(realm).verify(
        { authorization: `Bearer ${tokenResponse.accessToken}` },
        requirements,
      );
      expect(decision).toMatchObject({
        allow: false,
        status: 401,
        code: 'token_invalid',
        reason: 'access token has no human (act claim missing)',
      });
    },
  );

  it('issues rogue-agent (no dual-auth-agent role) a token: Keycloak cannot refuse it, the verifier does', async () => {
    const realm = realRealm(clientAuth);
    const alice = humanOf(realm, 'alice');
    const adapter = realAdapter(realm, agentOf(realm, 'rogue-agent'));
    const tokenResponse = await adapter.requestToken({ agentId: 'rogue-agent', act: { sub: alice.id } });
    const claims = decodeJwt(tokenResponse.accessToken) as { realm_access?: { roles?: string[] } };
    expect(claims.realm_access?.roles).not.toContain('dual-auth-agent');
    // alice approved finance-agent only: the mapper refuses her for this agent as well.
    expect(claims).toMatchObject({
      dual_auth_refusal: `user ${alice.id} has not approved agent rogue-agent`,
    });
    const decision = await realVerifier(realm).verify(
      { authorization: `Bearer ${tokenResponse.accessToken}` },
      requirements,
    );
    expect(decision).toMatchObject({ allow: false, code: 'token_invalid' });
  });
});
