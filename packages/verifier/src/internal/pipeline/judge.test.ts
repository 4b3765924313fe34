// The judgement of agent AND human AND delegation from checked facts alone: no token, key or clock.
import { type DelegationMethod, delegationMethods } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { humanUnchecked } from '../human-policy.ts';
import { denialOf, humanRolesOf, type JudgedFacts, type JudgeRules, judge } from './judge.ts';

const NOW = 1_767_225_600;

const rules: JudgeRules = {
  humanPolicy: { authorizer: false, idp: false },
  requireDelegation: true,
  acceptedMethods: new Set<DelegationMethod>(delegationMethods),
  clockSkewSeconds: 30,
};

const facts = (overrides: Partial<JudgedFacts> = {}): JudgedFacts => ({
  agent: { id: 'finance-agent', roles: ['finance.read'], scopes: ['reports'] },
  humanRoles: ['finance'],
  directory: undefined,
  delegation: { ok: true, delegation: { method: 'explicit', grantedAt: NOW - 60 } },
  nowSeconds: NOW,
  ...overrides,
});

const everything = { agentRoles: ['finance.read'], agentScopes: ['reports'], humanRoles: ['finance'] };

describe('judge', () => {
  it('allows when agent, human and delegation each pass, naming the check that passed the human', () => {
    const judgement = judge(facts(), everything, rules);
    expect(judgement.denial).toBeUndefined();
    expect(judgement.subjects).toEqual({
      agent: { ok: true, reason: 'authorized' },
      human: { ok: true, reason: 'authorized', checkedBy: 'roles' },
      delegation: { ok: true, reason: 'authorized' },
    });
  });

  it('judges each subject on its own and denies for the first that failed: agent, then human, then delegation', () => {
    const all = judge(
      facts({ agent: { id: 'a', roles: [], scopes: [] }, humanRoles: [], delegation: undefined }),
      everything,
      rules,
    );
    expect(all.subjects.agent).toEqual({ ok: false, reason: 'the agent lacks role finance.read' });
    expect(all.subjects.human).toEqual({
      ok: false,
      reason: 'the human lacks role finance',
      checkedBy: 'roles',
    });
    expect(all.subjects.delegation).toEqual({ ok: false, reason: 'delegation claim missing' });
    expect(all.denial).toEqual({ code: 'agent_denied', reason: 'the agent lacks role finance.read' });

    const humanAndDelegation = judge(
      facts({ humanRoles: undefined, delegation: undefined }),
      everything,
      rules,
    );
    expect(humanAndDelegation.denial).toEqual({
      code: 'human_denied',
      reason: 'the human lacks role finance',
    });

    const delegationOnly = judge(facts({ delegation: undefined }), everything, rules);
    expect(delegationOnly.denial).toEqual({ code: 'delegation_invalid', reason: 'delegation claim missing' });
  });

  it('checks the agent roles before its scopes, every required item', () => {
    const agent = { id: 'finance-agent', roles: ['finance.read'], scopes: ['reports'] };
    expect(judge(facts({ agent }), { agentScopes: ['reports', 'payroll'] }, rules).denial).toEqual({
      code: 'agent_denied',
      reason: 'the agent lacks scope payroll',
    });
    expect(
      judge(facts({ agent }), { agentRoles: ['finance.write'], agentScopes: ['payroll'] }, rules).subjects
        .agent.reason,
    ).toBe('the agent lacks role finance.write');
  });

  it('never authorizes a human merely present: no check that applies is human_unchecked', () => {
    const judgement = judge(facts(), { agentRoles: ['finance.read'] }, rules);
    expect(judgement.subjects.human).toBe(humanUnchecked);
    expect(judgement.denial?.code).toBe('human_unchecked');
    // Required roles that are an empty list are no check either.
    expect(judge(facts(), { humanRoles: [] }, rules).denial?.code).toBe('human_unchecked');
  });

  it('takes the IdP at its word only when configured to', () => {
    const idp = { ...rules, humanPolicy: { authorizer: false, idp: true } };
    expect(judge(facts({ humanRoles: undefined }), {}, idp).subjects.human).toEqual({
      ok: true,
      reason: 'authorized by the IdP (humanAuthorizedByIdp)',
      checkedBy: 'idp',
    });
    // Required roles still decide when a route names them.
    expect(judge(facts({ humanRoles: undefined }), { humanRoles: ['finance'] }, idp).denial?.code).toBe(
      'human_denied',
    );
  });

  it('denies a human the authorizer does not know, and allows one it knows', () => {
    const authorizer = { ...rules, humanPolicy: { authorizer: true, idp: false } };
    expect(judge(facts({ directory: undefined }), {}, authorizer).subjects.human).toEqual({
      ok: false,
      reason: 'the human is unknown to the human authorizer',
      checkedBy: 'authorizer',
    });
    expect(judge(facts({ directory: { roles: [] } }), {}, authorizer).subjects.human).toEqual({
      ok: true,
      reason: 'authorized',
      checkedBy: 'authorizer',
    });
  });

  it('holds the human to the agents the directory lets them delegate to', () => {
    const authorizer = { ...rules, humanPolicy: { authorizer: true, idp: false } };
    const other = judge(facts({ directory: { roles: [], agents: ['payroll-agent'] } }), {}, authorizer);
    expect(other.denial).toEqual({
      code: 'delegation_invalid',
      reason: 'the human may not delegate to this agent',
    });
    expect(judge(facts({ directory: { roles: [], agents: '*' } }), {}, authorizer).denial).toBeUndefined();
    expect(
      judge(facts({ directory: { roles: [], agents: ['finance-agent'] } }), {}, authorizer).denial,
    ).toBeUndefined();
  });

  it("holds the human to the directory's agents when the token carries no delegation claim (on-behalf-of)", () => {
    const authorizer = { ...rules, requireDelegation: false, humanPolicy: { authorizer: true, idp: false } };
    const withoutClaim = (agents: readonly string[] | '*') =>
      judge(facts({ delegation: undefined, directory: { roles: [], agents } }), {}, authorizer).denial;
    expect(withoutClaim(['payroll-agent'])).toEqual({
      code: 'delegation_invalid',
      reason: 'the human may not delegate to this agent',
    });
    expect(withoutClaim(['finance-agent'])).toBeUndefined();
    expect(withoutClaim('*')).toBeUndefined();
  });

  it('judges the delegation: required or not, malformed, method, granted in the future, expired (with the skew)', () => {
    const delegation = (
      fields: Partial<{ method: DelegationMethod; grantedAt: number; expiresAt: number }>,
    ) =>
      facts({ delegation: { ok: true, delegation: { method: 'explicit', grantedAt: NOW - 60, ...fields } } });
    const reason = (judged: JudgedFacts, judgeRules: JudgeRules = rules) =>
      judge(judged, everything, judgeRules).subjects.delegation.reason;

    expect(reason(facts({ delegation: undefined }), { ...rules, requireDelegation: false })).toBe(
      'authorized',
    );
    expect(reason(facts({ delegation: { ok: false, problem: 'granted_at is missing' } }))).toBe(
      'delegation claim invalid (granted_at is missing)',
    );
    expect(
      reason(delegation({ method: 'system' }), { ...rules, acceptedMethods: new Set(['explicit']) }),
    ).toBe('delegation method system is not accepted');
    expect(reason(delegation({ grantedAt: NOW + 30 }))).toBe('authorized');
    expect(reason(delegation({ grantedAt: NOW + 31 }))).toBe('delegation granted in the future');
    expect(reason(delegation({ expiresAt: NOW - 29 }))).toBe('authorized');
    expect(reason(delegation({ expiresAt: NOW - 30 }))).toBe('delegation has expired');
  });
});

describe('denialOf', () => {
  it('is undefined when every subject is authorized', () => {
    const ok = { ok: true, reason: 'authorized' };
    expect(denialOf({ agent: ok, human: ok, delegation: ok })).toBeUndefined();
  });
});

describe('humanRolesOf', () => {
  it('reads a space-separated or array roles claim, then adds the authorizer roles', () => {
    expect(humanRolesOf({ roles: ' finance  audit ' }, 'roles', undefined)).toEqual(['finance', 'audit']);
    expect(humanRolesOf({ roles: ['finance', 7, 'audit'] }, 'roles', undefined)).toEqual([
      'finance',
      'audit',
    ]);
    expect(humanRolesOf({ roles: ['finance'] }, 'roles', { roles: ['payroll'] })).toEqual([
      'finance',
      'payroll',
    ]);
    expect(humanRolesOf({ roles: ['finance'] }, undefined, { roles: ['payroll'] })).toEqual(['payroll']);
    expect(humanRolesOf({ roles: ['finance'] }, undefined, undefined)).toBeUndefined();
    expect(humanRolesOf({}, 'roles', undefined)).toBeUndefined();
  });
});
