import { type RealKeycloakRealm, startRealKeycloak } from '@dual-auth/testkit';
import type { TestProject } from 'vitest/node';

/** What the suites see of the one real Keycloak the folder shares (plain data, across workers). */
export interface RealKeycloakContext {
  readonly baseUrl: string;
  readonly version: string;
  readonly startMs: number;
  readonly realms: {
    readonly client_secret_jwt: RealKeycloakRealm;
    readonly private_key_jwt: RealKeycloakRealm;
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    realKeycloak: RealKeycloakContext;
  }
}

// Starts Keycloak once for every file of the folder; a missing distribution or a failed start
// fails the whole project (never a skip). The teardown always stops it.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const keycloak = await startRealKeycloak();
  process.stderr.write(`real Keycloak ${keycloak.version} answered after ${keycloak.startMs} ms\n`);
  project.provide('realKeycloak', {
    baseUrl: keycloak.baseUrl,
    version: keycloak.version,
    startMs: keycloak.startMs,
    realms: {
      client_secret_jwt: keycloak.realm('client_secret_jwt'),
      private_key_jwt: keycloak.realm('private_key_jwt'),
    },
  });
  return () => keycloak.close();
}
