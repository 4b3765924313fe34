// The Keycloak adapter's conformance suite against the real Keycloak, in the two agbac client
// authentications the shipped realm supports. Fault cases (429, 5xx, dropped connections, timeouts,
// garbage bodies) need switches only the embedded IdP has: they are skipped, and say so in their names.
import { KeycloakAdapter } from '@dual-auth/adapter-keycloak';
import {
  describeIdpAdapter,
  keycloakAgentWithoutRole,
  keycloakHumanRefusedByMapper,
} from '@dual-auth/testkit/conformance';
import { realRealm } from './harness.ts';

for (const authMethod of ['client_secret_jwt', 'private_key_jwt'] as const) {
  describeIdpAdapter(`real Keycloak agbac ${authMethod}`, {
    vendor: 'keycloak',
    mode: 'agbac',
    authMethod,
    createAdapter: (config, options) => new KeycloakAdapter(config, options),
    realIdp: async () => ({ profile: realRealm(authMethod), close: async () => {} }),
    humanClaims: { act: 'act', delegation: 'delegation', agbacVersion: 'agbac_ver' },
    refusals: {
      agentNotApproved: keycloakAgentWithoutRole('dual-auth-agent'),
      humanNotApproved: keycloakHumanRefusedByMapper,
      wrongCredentials:
        authMethod === 'client_secret_jwt'
          ? { status: 400, oauthError: 'unauthorized_client' }
          : { status: 400, oauthError: 'invalid_client' },
      badScope: { scope: ['payroll.admin'], refusal: { status: 400, oauthError: 'invalid_scope' } },
    },
  });
}
