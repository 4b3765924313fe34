import { TokenRequestError } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { fromFlightFailure, toFlightFailure } from './token-flight-failure.ts';

describe('token flight failure', () => {
  it('shares the sub-error with waiters but not the claims challenge', () => {
    const claimsChallenge = '{"access_token":{"polids":{"essential":true,"values":["9ab03e19"]}}}';
    const failure = toFlightFailure(
      new TokenRequestError('refused', {
        status: 400,
        oauthError: 'interaction_required',
        vendorCode: 'AADSTS50079',
        subError: 'basic_action',
        claimsChallenge,
      }),
    );
    expect(failure).toEqual({
      status: 400,
      oauthError: 'interaction_required',
      vendorCode: 'AADSTS50079',
      subError: 'basic_action',
    });
    const waiterError = fromFlightFailure(failure);
    expect(waiterError).toMatchObject({ subError: 'basic_action', vendorCode: 'AADSTS50079' });
    expect(waiterError.claimsChallenge).toBeUndefined();
    expect(waiterError.message).toContain('HTTP 400 interaction_required AADSTS50079 basic_action');
  });
});
