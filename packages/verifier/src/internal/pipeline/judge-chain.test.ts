// The chain rules from facts alone: no token, key or clock.
import { describe, expect, it } from 'vitest';
import { judge } from './judge.ts';
import { DEFAULT_MAX_CHAIN_DEPTH, judgeChain } from './judge-chain.ts';

const HUMAN = 'f1d2c3b4-0000-4000-8000-00000000a11c';
const chain = (actors: string[], actorScopes?: (string[] | undefined)[], tokenScopes: string[] = []) => ({
  actors,
  actorScopes,
  tokenScopes,
  humanId: HUMAN,
});

describe('judgeChain', () => {
  it('allows up to the depth, 3 by default, and refuses one more with the counts in the reason', () => {
    expect(DEFAULT_MAX_CHAIN_DEPTH).toBe(3);
    expect(judgeChain(chain(['c', 'b', 'a']), 3)).toEqual({ ok: true, reason: 'authorized' });
    expect(judgeChain(chain(['d', 'c', 'b', 'a']), 3)).toEqual({
      ok: false,
      reason: 'delegation chain is 4 actors deep, more than the 3 allowed',
    });
    expect(judgeChain(chain(['d', 'c', 'b', 'a']), 4).ok).toBe(true);
  });

  it('refuses an actor seen twice, and the human as an actor, without naming either', () => {
    expect(judgeChain(chain(['a', 'b', 'a']), 5).reason).toBe('delegation chain repeats an actor (a cycle)');
    expect(judgeChain(chain(['b', HUMAN]), 5).reason).toBe(
      'delegation chain names the human as an actor (a cycle)',
    );
    expect(judgeChain(chain([HUMAN]), 5).ok).toBe(false);
  });

  it('refuses a hop that holds a scope the hop before it lacked, from the first actor to the token', () => {
    expect(judgeChain(chain(['b', 'a'], [['r'], ['r', 'w']], ['r']), 5).ok).toBe(true);
    expect(judgeChain(chain(['b', 'a'], [['r', 'w'], ['r']], ['r']), 5).reason).toBe(
      'delegation chain widens scope at actor 1 of 2 (counted from the current actor)',
    );
    expect(judgeChain(chain(['b', 'a'], [undefined, ['r']], ['r', 'w']), 5).reason).toBe(
      'delegation chain widens scope: the token grants a scope its actors did not hold',
    );
    // Nothing recorded: nothing to compare.
    expect(judgeChain(chain(['b', 'a'], [undefined, undefined], ['r', 'w']), 5).ok).toBe(true);
  });
});

describe('judge with a chain', () => {
  const rules = {
    humanPolicy: { authorizer: false, idp: true },
    requireDelegation: false,
    acceptedMethods: new Set<never>(),
    clockSkewSeconds: 30,
  };
  const facts = {
    agent: { id: 'c', roles: [], scopes: [] },
    humanRoles: undefined,
    directory: undefined,
    delegation: undefined,
    nowSeconds: 0,
  };

  it('denies a refused chain as delegation_invalid, the default depth applying when rules name none', () => {
    const judgement = judge({ ...facts, chain: chain(['d', 'c', 'b', 'a']) }, {}, rules);
    expect(judgement.denial).toEqual({
      code: 'delegation_invalid',
      reason: 'delegation chain is 4 actors deep, more than the 3 allowed',
    });
    expect(
      judge({ ...facts, chain: chain(['d', 'c', 'b', 'a']) }, {}, { ...rules, maxChainDepth: 4 }).denial,
    ).toBe(undefined);
  });

  it('reports a failed delegation claim before the chain', () => {
    const judgement = judge(
      { ...facts, delegation: { ok: false, problem: 'bad' }, chain: chain(['a', 'a']) },
      {},
      rules,
    );
    expect(judgement.subjects.delegation.reason).toBe('delegation claim invalid (bad)');
  });
});
