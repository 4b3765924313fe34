import { describe, expect, it } from 'vitest';
import { discloseAct } from './disclose-act.ts';

const act = { sub: 'u-1', email: 'canary.human@example.com', name: 'Canary Humanname', oid: 'o-1' };

describe('discloseAct', () => {
  it('keeps only the IAM ids by default', () => {
    expect(discloseAct(act)).toEqual({ sub: 'u-1', oid: 'o-1' });
    expect(discloseAct(act, [])).toEqual({ sub: 'u-1', oid: 'o-1' });
    expect(discloseAct({ sub: 'u-2', email: act.email })).toEqual({ sub: 'u-2' });
  });

  it('adds the listed display claims, when the act has them', () => {
    expect(discloseAct(act, ['email'])).toEqual({ sub: 'u-1', email: act.email, oid: 'o-1' });
    expect(discloseAct(act, ['email', 'name'])).toEqual(act);
    expect(discloseAct({ sub: 'u-2' }, ['email', 'name'])).toEqual({ sub: 'u-2' });
  });

  it('leaves the act it was given alone', () => {
    const given = { ...act };
    discloseAct(given);
    expect(given).toEqual(act);
  });
});
