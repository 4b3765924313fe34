import { describe, expect, it } from 'vitest';
import { defaultIdpFixture } from '../default-fixture.ts';
import { createDirectory } from '../directory.ts';
import { mapKeycloakAct } from './keycloak-act-mapper.ts';

const directory = createDirectory('keycloak', defaultIdpFixture());
const human = (name: string) =>
  directory.humans.find((entry) => entry.email.startsWith(name)) ?? directory.humans[0];

function claims(act: unknown, extra: Record<string, unknown> = {}) {
  return {
    iss: 'finance-agent',
    sub: 'finance-agent',
    act,
    delegation: { method: 'explicit', granted_at: 1_767_225_600 },
    agbac_ver: '1.0',
    ...extra,
  };
}

describe('mapKeycloakAct runs the act mapper script from @dual-auth/iam', () => {
  it('returns the claims the script put on the token: the human by id only, as shipped', () => {
    const alice = human('alice');
    expect(
      mapKeycloakAct(claims({ sub: alice?.id, email: 'forged@x.example' }), 'finance-agent', directory),
    ).toEqual({
      kind: 'claims',
      claims: {
        act: { sub: alice?.id },
        delegation: { method: 'explicit', granted_at: 1_767_225_600 },
        agbac_ver: '1.0',
      },
    });
  });

  it('refuses with the script’s reasons, as a dual_auth_refusal claim and no act', () => {
    expect(
      mapKeycloakAct(claims({ sub: human('alice')?.id }, { delegation: 'yes' }), 'finance-agent', directory),
    ).toEqual({
      kind: 'refuse',
      reason: 'delegation in the client assertion must be an object with method and granted_at',
      claims: {
        dual_auth_refusal: 'delegation in the client assertion must be an object with method and granted_at',
      },
    });
    const carol = human('carol');
    expect(mapKeycloakAct(claims({ sub: carol?.id }), 'finance-agent', directory)).toEqual({
      kind: 'refuse',
      reason: `user ${carol?.id} has not approved agent finance-agent`,
      claims: { dual_auth_refusal: `user ${carol?.id} has not approved agent finance-agent` },
    });
  });

  it.each([
    [['email'], ['email']],
    [['name'], ['name']],
    [
      ['email', 'name'],
      ['email', 'name'],
    ],
  ] as const)('copies the realm’s %j into act when the fixture discloses them', (disclosed, expected) => {
    const disclosing = createDirectory('keycloak', { ...defaultIdpFixture(), actDisplayClaims: disclosed });
    const alice = human('alice');
    const outcome = mapKeycloakAct(
      claims({ sub: alice?.id, email: 'forged@x.example', name: 'Forged' }),
      'finance-agent',
      disclosing,
    );
    const act = outcome.kind === 'claims' ? (outcome.claims.act as Record<string, unknown>) : {};
    expect(Object.keys(act).sort()).toEqual(['sub', ...expected].sort());
    if (expected.includes('email' as never)) expect(act.email).toBe(alice?.email);
    if (expected.includes('name' as never)) expect(act.name).toBe(alice?.name);
  });

  it('adds nothing without an assertion or act', () => {
    expect(mapKeycloakAct(undefined, 'finance-agent', directory)).toEqual({ kind: 'none' });
    expect(mapKeycloakAct({ sub: 'finance-agent' }, 'finance-agent', directory)).toEqual({ kind: 'none' });
  });
});
