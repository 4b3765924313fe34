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
    refusals: {
      agentNotApproved: { status: 403, oauthError: 'access_denied' },
      ...(mode === 'agbac' ? { humanNotApproved: { status: 403, oauthError: 'access_denied' } } : {}),
      wrongCredentials: { status: 401, oauthError: 'access_denied' },
      badScope: { scope: ['payroll.admin'], refusal: { status: 403, oauthError: 'access_denied' } },
    },
  });
}
