import { TokenRequestError } from '@dual-auth/core';
import { describe, expect, it } from 'vitest';
import { diagnoseTokenRefusal } from './diagnose-token-refusal.ts';

function refusal(status: number, oauthError: string, description: string, vendorCode?: string) {
  return new TokenRequestError(
    `The IdP refused the token request: HTTP ${status} ${oauthError} (${description}).`,
    {
      status,
      oauthError,
      ...(vendorCode === undefined ? {} : { vendorCode }),
    },
  );
}

describe('diagnoseTokenRefusal for Auth0', () => {
  // The dual-auth Action denies with api.access.deny('invalid_request', reason): Auth0 answers 400
  // invalid_request, and the Auth0 adapter names the denial in vendorCode.
  it('names an agent the Action refuses, and says how to mark it as an agent', () => {
    const diagnosis = diagnoseTokenRefusal(
      refusal(400, 'invalid_request', 'client is not an approved agent (missing …)', 'agent_not_approved'),
      'auth0',
      'env',
    );
    expect(diagnosis.fault).toBe('agent_not_approved');
    expect(diagnosis.fix).toContain('dual_auth_agent');
  });

  it('names a human the Action refuses', () => {
    for (const vendorCode of ['human_not_approved', undefined]) {
      expect(
        diagnoseTokenRefusal(
          refusal(400, 'invalid_request', 'user auth0|bob lacks the role FinanceUser', vendorCode),
          'auth0',
          'env',
        ).fault,
      ).toBe('human_not_approved');
    }
  });

  it('names a scope outside the client grant as bad_scope, not as an unapproved agent', () => {
    const diagnosis = diagnoseTokenRefusal(
      refusal(403, 'access_denied', 'Client has not been granted scopes: payroll.admin'),
      'auth0',
      'env',
    );
    expect(diagnosis.fault).toBe('bad_scope');
    expect(diagnosis.fix).toContain('API_SCOPE');
  });
});
