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

describe('diagnoseTokenRefusal for Entra ID', () => {
  // Entra finds a certificate credential by the assertion's x5t#S256 (certificate-credentials page);
  // an unknown thumbprint is AADSTS700027, none at all AADSTS50027.
  it.each(['AADSTS700027', 'AADSTS50027'])('names the certificate thumbprint for %s', (vendorCode) => {
    const diagnosis = diagnoseTokenRefusal(
      refusal(401, 'invalid_client', 'the key was not found', vendorCode),
      'entraid',
      'env',
    );
    expect(diagnosis.fault).toBe('wrong_credentials');
    expect(diagnosis.fix).toContain('AGENT_CERTIFICATE_THUMBPRINT must be the x5t#S256');
  });

  it("names the API app's Application (client) ID for an unknown resource", () => {
    const diagnosis = diagnoseTokenRefusal(
      refusal(
        400,
        'invalid_resource',
        'The resource principal named api://payroll was not found',
        'AADSTS500011',
      ),
      'entraid',
      'env',
    );
    expect(diagnosis.fault).toBe('wrong_audience');
    expect(diagnosis.fix).toContain("API_AUDIENCE to that app's Application (client) ID");
  });
});
