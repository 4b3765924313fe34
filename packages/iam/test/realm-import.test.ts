import { describe, expect, it } from 'vitest';
import { keycloakRealmImport, keycloakScriptsDescriptor } from '../src/keycloak-act-mapper.ts';

interface Mapper {
  name: string;
  protocol: string;
  protocolMapper: string;
  config: Record<string, string>;
}
interface Client {
  clientId: string;
  publicClient: boolean;
  serviceAccountsEnabled: boolean;
  standardFlowEnabled: boolean;
  directAccessGrantsEnabled: boolean;
  clientAuthenticatorType: string;
  attributes: Record<string, string>;
  protocolMappers: Mapper[];
  secret?: string;
}

const partial = keycloakRealmImport() as {
  ifResourceExists: string;
  roles: { realm: { name: string; clientRole: boolean }[] };
  clients: Client[];
  users: { username: string; serviceAccountClientId?: string; realmRoles: string[] }[];
};

describe('the Keycloak partial realm import', () => {
  it('is a partial import (POST /admin/realms/{realm}/partialImport) with a conflict policy', () => {
    expect(['FAIL', 'SKIP', 'OVERWRITE']).toContain(partial.ifResourceExists);
    expect(Object.keys(partial).sort()).toEqual(['clients', 'ifResourceExists', 'roles', 'users']);
  });

  it('creates the agent and human realm roles', () => {
    expect(partial.roles.realm.map((role) => [role.name, role.clientRole])).toEqual([
      ['dual-auth-agent', false],
      ['dual-auth-human', false],
    ]);
  });

  it('creates a confidential agent client with a service account and client_secret_jwt, and no secret in the file', () => {
    const [client] = partial.clients;
    expect(client).toMatchObject({
      clientId: 'dual-auth-agent',
      publicClient: false,
      serviceAccountsEnabled: true,
      standardFlowEnabled: false,
      directAccessGrantsEnabled: false,
      clientAuthenticatorType: 'client-secret-jwt',
      attributes: { 'token.endpoint.auth.signing.alg': 'HS256' },
    });
    expect(client).not.toHaveProperty('secret');
  });

  it('attaches the deployed act mapper to access tokens only, and an audience mapper', () => {
    const mappers = partial.clients[0]?.protocolMappers ?? [];
    const [script] = keycloakScriptsDescriptor().mappers;
    const act = mappers.find((mapper) => mapper.protocolMapper === `script-${script?.fileName}`);
    expect(act?.config).toMatchObject({ 'access.token.claim': 'true', 'id.token.claim': 'false' });
    const audience = mappers.find((mapper) => mapper.protocolMapper === 'oidc-audience-mapper');
    expect(audience?.config['included.custom.audience']).toMatch(/^https:\/\//);
    expect(audience?.config['access.token.claim']).toBe('true');
    expect(mappers.every((mapper) => mapper.protocol === 'openid-connect')).toBe(true);
  });

  it("gives the agent's service account the agent role", () => {
    expect(partial.users).toEqual([
      {
        username: 'service-account-dual-auth-agent',
        enabled: true,
        serviceAccountClientId: 'dual-auth-agent',
        realmRoles: ['dual-auth-agent'],
      },
    ]);
  });
});
