import { createManualClock } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { createVaultSession, type VaultAuthAnswer } from './vault-session.ts';

const START = 1_767_225_600_000;

function session(options: { down: () => boolean }) {
  const clock = createManualClock(START);
  const calls = { login: 0, renew: 0 };
  let issued = 0;
  const answer = (): VaultAuthAnswer => ({
    client_token: `t-${++issued}`,
    lease_duration: 300,
    renewable: true,
  });
  const subject = createVaultSession({
    clock: clock.now,
    async login() {
      calls.login++;
      if (options.down()) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      return answer();
    },
    async renew() {
      calls.renew++;
      if (options.down()) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      return answer();
    },
  });
  return { clock, calls, subject };
}

describe('createVaultSession', () => {
  it('backs off after a failed renewal and login in the renewal window, keeping the valid lease', async () => {
    let down = false;
    const { clock, calls, subject } = session({ down: () => down });
    expect((await subject.token()).token).toBe('t-1');
    down = true;
    clock.advance(210_000); // past two thirds of the 300 s lease, before its end (270 s)
    for (let index = 0; index < 10; index++) expect((await subject.token()).token).toBe('t-1');
    // One renewal and one login for the ten reads, not ten of each.
    expect(calls).toEqual({ login: 2, renew: 1 });
    clock.advance(500);
    await subject.token();
    expect(calls).toEqual({ login: 2, renew: 1 });
    // After the back-off (1 s, then 2 s…) it tries again; once Vault is back, it renews.
    clock.advance(600);
    await subject.token();
    expect(calls).toEqual({ login: 3, renew: 2 });
    clock.advance(1_000);
    await subject.token();
    expect(calls).toEqual({ login: 3, renew: 2 });
    down = false;
    clock.advance(1_100);
    expect((await subject.token()).token).toBe('t-2');
    expect(calls).toEqual({ login: 3, renew: 3 });
  });

  it('still logs in at once when the lease has ended', async () => {
    let down = false;
    const { clock, calls, subject } = session({ down: () => down });
    await subject.token();
    down = true;
    clock.advance(210_000);
    await subject.token();
    down = false;
    clock.advance(61_000); // past the lease's end: no token to fall back on
    expect((await subject.token()).fresh).toBe(true);
    expect(calls.login).toBe(3);
  });
});
