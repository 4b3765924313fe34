import type { ClientAuthMethod, DelegationMode } from '@dual-auth/core';
import {
  describeIdpAdapter,
  type ExpectedRefusal,
  keycloakAgentWithoutRole,
  keycloakHumanRefusedByMapper,
} from '@dual-auth/testkit/conformance';
import { KeycloakAdapter } from '../src/index.ts';

// As Keycloak 26.7.3 answers (apps/e2e/test/real-keycloak/differential.test.ts): a bad client-secret
// JWT signature is 400 unauthorized_client, a bad private-key JWT signature 400 invalid_client.
const wrongCredentials: Record<ClientAuthMethod, ExpectedRefusal> = {
  client_secret_jwt: { status: 400, oauthError: 'unauthorized_client' },
  private_key_jwt: { status: 400, oauthError: 'invalid_client' },
  client_secret_basic: { status: 401, oauthError: 'unauthorized_client' },
  client_secret_post: { status: 401, oauthError: 'unauthorized_client' },
};

const runs: [DelegationMode, ClientAuthMethod][] = [
  ['agbac', 'client_secret_jwt'],
  ['agbac', 'private_key_jwt'],
  ['hybrid', 'client_secret_basic'],
  ['hybrid', 'client_secret_post'],
  ['hybrid', 'client_secret_jwt'],
  ['hybrid', 'private_key_jwt'],
];

for (const [mode, authMethod] of runs) {
  describeIdpAdapter(`keycloak ${mode} ${authMethod}`, {
    vendor: 'keycloak',
    mode,
    authMethod,
    createAdapter: (config, options) => new KeycloakAdapter(config, options),
    humanClaims: { act: 'act', delegation: 'delegation', agbacVersion: 'agbac_ver' },
    refusals: {
      agentNotApproved: keycloakAgentWithoutRole('FinanceAgent'),
      ...(mode === 'agbac' ? { humanNotApproved: keycloakHumanRefusedByMapper } : {}),
      wrongCredentials: wrongCredentials[authMethod],
      badScope: { scope: ['payroll.admin'], refusal: { status: 400, oauthError: 'invalid_scope' } },
    },
  });
}
