// The live contract suite run for real, on every `npm test`: its DUAL_AUTH_LIVE_KEYCLOAK_* variables
// point at the folder's real Keycloak (one realm per client authentication), exactly as a user
// points them at their own tenant (docs/live-tests.md), and the suite must pass there.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RealKeycloakRealm, trustTestCa } from '@dual-auth/testkit';
import { afterAll, beforeAll, inject } from 'vitest';
import { describeLiveTenant } from '../live/describe-live-tenant.ts';
import { agentOf, humanOf, realAdapter } from './harness.ts';

const keyDirectory = mkdtempSync(join(tmpdir(), 'dual-auth-live-'));
afterAll(() => rmSync(keyDirectory, { recursive: true, force: true }));

// A cold Keycloak compiles the act mapper's script on its first token request, which can outlast
// the adapter's timeout on a loaded machine and be retried: the suite's "in one request" would then
// count two. A tenant in use is warm; so is this one before the suite starts.
beforeAll(async () => {
  const untrust = trustTestCa();
  try {
    for (const realm of Object.values(inject('realKeycloak').realms)) {
      const alice = humanOf(realm, 'alice');
      await realAdapter(realm, agentOf(realm, 'finance-agent'), { timeoutMs: 60_000 }).requestToken({
        agentId: 'finance-agent',
        act: { sub: alice.id },
      });
    }
  } finally {
    untrust();
  }
}, 120_000);

function liveVariables(realm: RealKeycloakRealm): Record<string, string> {
  const prefix = 'DUAL_AUTH_LIVE_KEYCLOAK_';
  const client = (role: 'AGENT' | 'ROGUE', clientId: string): Record<string, string> => {
    const agent = agentOf(realm, clientId);
    if (realm.clientAuth === 'client_secret_jwt')
      return {
        [`${prefix}${role}_CLIENT_ID`]: clientId,
        [`${prefix}${role}_CLIENT_SECRET`]: agent.clientSecret,
      };
    const keyPath = join(keyDirectory, `${realm.clientAuth}-${clientId}.jwk`);
    writeFileSync(keyPath, JSON.stringify(agent.privateJwk), { mode: 0o600 });
    return { [`${prefix}${role}_CLIENT_ID`]: clientId, [`${prefix}${role}_PRIVATE_KEY_PATH`]: keyPath };
  };
  return {
    [`${prefix}ISSUER`]: realm.issuer,
    [`${prefix}AUDIENCE`]: realm.audience,
    [`${prefix}AUTH_METHOD`]: realm.clientAuth,
    ...client('AGENT', 'finance-agent'),
    ...client('ROGUE', 'rogue-agent'),
    [`${prefix}APPROVED_HUMAN`]: humanOf(realm, 'alice').id,
    // bob lacks the human role, carol has not approved finance-agent.
    [`${prefix}REFUSED_HUMANS`]: `${humanOf(realm, 'bob').id},${humanOf(realm, 'carol').id}`,
    [`${prefix}AGENT_ROLE`]: realm.agentRole,
  };
}

for (const realm of Object.values(inject('realKeycloak').realms))
  describeLiveTenant('keycloak', liveVariables(realm));
