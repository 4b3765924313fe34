import type { ClientAuthMethod } from '@dual-auth/core';
import { describeIdpAdapter, type ExpectedRefusal } from '@dual-auth/testkit/conformance';
import { EntraIDAdapter } from '../src/index.ts';

const runs: [ClientAuthMethod, ExpectedRefusal][] = [
  ['client_secret_post', { status: 401, oauthError: 'invalid_client', vendorCode: 'AADSTS7000215' }],
  ['client_secret_basic', { status: 401, oauthError: 'invalid_client', vendorCode: 'AADSTS7000215' }],
  ['private_key_jwt', { status: 401, oauthError: 'invalid_client', vendorCode: 'AADSTS700027' }],
];

for (const [authMethod, wrongCredentials] of runs) {
  describeIdpAdapter(`entraid hybrid ${authMethod}`, {
    vendor: 'entraid',
    mode: 'hybrid',
    authMethod,
    createAdapter: (config, options) => new EntraIDAdapter(config, options),
    refusals: {
      agentNotApproved: { status: 400, oauthError: 'invalid_grant', vendorCode: 'AADSTS501051' },
      wrongCredentials,
      badScope: {
        scope: ['https://api.dual-auth.test/payroll/.default'],
        refusal: { status: 400, oauthError: 'invalid_resource', vendorCode: 'AADSTS500011' },
      },
    },
  });
}
