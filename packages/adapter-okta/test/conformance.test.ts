import type { ClientAuthMethod } from '@dual-auth/core';
import { describeIdpAdapter } from '@dual-auth/testkit/conformance';
import { OktaAdapter } from '../src/index.ts';

const authMethods: ClientAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
];

for (const authMethod of authMethods) {
  describeIdpAdapter(`okta hybrid ${authMethod}`, {
    vendor: 'okta',
    mode: 'hybrid',
    authMethod,
    createAdapter: (config, options) => new OktaAdapter(config, options),
    refusals: {
      agentNotApproved: { status: 401, oauthError: 'access_denied', vendorCode: 'no_matching_policy' },
      wrongCredentials: { status: 401, oauthError: 'invalid_client' },
      badScope: { scope: ['payroll.admin'], refusal: { status: 400, oauthError: 'invalid_scope' } },
    },
  });
}
