import type { Decision } from '@dual-auth/verifier';
import { describe, expect, it } from 'vitest';
import { CliExit, type CommandContext } from './command-context.ts';
import { humanStatus, humanVerdictText, readHumanPolicy } from './human-policy.ts';

function decision(human: Decision['subjects']['human'], code?: 'human_unchecked' | 'human_denied'): Decision {
  const subjects = {
    agent: { ok: true, reason: 'authorized' },
    human,
    delegation: { ok: true, reason: 'authorized' },
  };
  return (code === undefined
    ? { allow: true, subjects }
    : { allow: false, code, subjects }) as unknown as Decision;
}

const context = { cwd: process.cwd() } as CommandContext;

describe('humanStatus', () => {
  it('is "authorized" only when a check says which it was', () => {
    expect(humanStatus(decision({ ok: true, reason: 'authorized', checkedBy: 'authorizer' }))).toBe(
      'authorized',
    );
    // A verdict without checkedBy says nothing checked the human: never shown as authorized.
    expect(humanStatus(decision({ ok: true, reason: 'authorized' }))).toBe('not_checked');
    expect(humanStatus(decision({ ok: false, reason: 'no policy' }, 'human_unchecked'))).toBe('not_checked');
    expect(
      humanStatus(decision({ ok: false, reason: 'lacks role', checkedBy: 'roles' }, 'human_denied')),
    ).toBe('denied');
  });

  it('offers the IdP opt-in only where the layout allows it', () => {
    const unchecked = decision({ ok: false, reason: 'no policy' }, 'human_unchecked');
    expect(humanVerdictText(unchecked, 'agbac')).toContain('--human-authorized-by-idp');
    expect(humanVerdictText(unchecked, 'hybrid')).not.toContain('--human-authorized-by-idp');
  });
});

describe('readHumanPolicy', () => {
  it('with nothing given builds a verifier that decides nothing about the human', async () => {
    const policy = await readHumanPolicy(context, {}, 'agbac');
    expect(policy.given).toBe(false);
    expect(policy.humanRoles).toBeUndefined();
    expect(policy.verifierOptions).toEqual({ humanRolesClaim: 'roles' });
  });

  it('refuses the IdP opt-in for hybrid and a required role with no source of roles (exit 2)', async () => {
    for (const [values, layout] of [
      [{ 'human-authorized-by-idp': true }, 'hybrid'],
      [{ 'human-role': ['FinanceUser'] }, 'agbac'],
    ] as const) {
      const failure = await readHumanPolicy(context, values, layout).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(CliExit);
      expect((failure as CliExit).exitCode).toBe(2);
    }
  });
});
