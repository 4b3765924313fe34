import type { ClientAuthMethod, DelegationMode } from '@dual-auth/core';
import { describeIdpAdapter } from '@dual-auth/testkit/conformance';
import { Auth0Adapter } from '../src/index.ts';

const runs: [DelegationMode, ClientAuthMethod][] = [
  ['agbac', 'client_secret_post'],
  ['agbac', 'client_secret_basic'],
  ['agbac', 'private_key_jwt'],
  ['hybrid', 'client_secret_post'],
  ['hybrid', 'private_key_jwt'],
];

for (const [mode, authMethod] of runs) {
  describeIdpAdapter(`auth0 ${mode} ${authMethod}`, {
    vendor: 'auth0',
    mode,
    authMethod,
    createAdapter: (config, options) => new Auth0Adapter(config, options),
    humanClaims: {
      act: 'https://dual-auth.dev/act',
      delegation: 'https://dual-auth.dev/delegation',
      agbacVersion: 'https://dual-auth.dev/agbac_ver',
    },
    // The Action's api.access.deny('invalid_request', reason): Auth0 answers 400 with that code
    // (packages/testkit/src/idp/vendors/auth0.ts); the adapter names the denial from the reason.
    refusals: {
      agentNotApproved: { status: 400, oauthError: 'invalid_request', vendorCode: 'agent_not_approved' },
      ...(mode === 'agbac'
        ? {
            humanNotApproved: {
              status: 400,
              oauthError: 'invalid_request',
              vendorCode: 'human_not_approved',
            },
          }
        : {}),
      wrongCredentials: { status: 401, oauthError: 'access_denied' },
      badScope: { scope: ['payroll.admin'], refusal: { status: 403, oauthError: 'access_denied' } },
    },
  });
}
