import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import type { Directory } from './directory.ts';
import type { HumanFixture } from './types.ts';

function stableId(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function agentIdOf(payload: Record<string, unknown>): unknown {
  return payload.azp ?? payload.cid ?? payload.client_id;
}

function rolesBody(
  directory: Directory,
  human: HumanFixture,
  route: 'roles' | 'groups' | 'appRoleAssignments' | 'role-mappings',
): unknown {
  const { vendor, fixture } = directory;
  switch (route) {
    case 'role-mappings':
      return human.roles.map((name) => ({
        id: stableId(`role:${name}`),
        name,
        description: `${name} realm role`,
        composite: false,
        clientRole: false,
        containerId: stableId(`realm:${fixture.realm}`),
      }));
    case 'roles':
      return human.roles.map((name) => ({
        id: `rol_${stableId(name).replace(/-/g, '').slice(0, 16)}`,
        name,
        description: `${name} role`,
      }));
    case 'groups':
      return human.roles.map((name) => ({
        id: `00g${stableId(name).replace(/-/g, '').slice(0, 17)}`,
        created: '2026-01-01T00:00:00.000Z',
        lastUpdated: '2026-01-01T00:00:00.000Z',
        lastMembershipUpdated: '2026-01-01T00:00:00.000Z',
        objectClass: ['okta:user_group'],
        type: 'OKTA_GROUP',
        profile: { name, description: `${name} group` },
      }));
    case 'appRoleAssignments':
      return {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/appRoleAssignments',
        value: human.roles.map((name) => ({
          id: stableId(`${vendor}:assignment:${human.id}:${name}`),
          appRoleId: stableId(`app-role:${name}`),
          createdDateTime: '2026-01-01T00:00:00Z',
          principalDisplayName: human.name,
          principalId: human.id,
          principalType: 'User',
          resourceDisplayName: 'dual-auth finance API',
          resourceId: stableId(`resource:${fixture.api.identifier}`),
        })),
      };
  }
}

const routePatterns: readonly {
  pattern: RegExp;
  route: 'roles' | 'groups' | 'appRoleAssignments' | 'role-mappings';
}[] = [
  { pattern: /^\/users\/([^/]+)\/role-mappings\/realm(?:\/composite)?$/, route: 'role-mappings' },
  { pattern: /^\/users\/([^/]+)\/(?:effective-)?roles$/, route: 'roles' },
  { pattern: /^\/users\/([^/]+)\/groups$/, route: 'groups' },
  { pattern: /^\/users\/([^/]+)\/appRoleAssignments$/, route: 'appRoleAssignments' },
];

/**
 * Serves a human's roles in the vendor's admin-API shape (Keycloak role mappings, Auth0 roles,
 * Okta groups, Graph app-role assignments), to a bearer token this profile issued to a
 * directory-reader client.
 */
export async function serveDirectory(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  context: { directory: Directory; issuer: string; jwks: () => JSONWebKeySet },
): Promise<void> {
  const send = (status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const match = routePatterns
    .map(({ pattern, route }) => ({ route, found: pattern.exec(path) }))
    .find(({ found }) => found);
  if (request.method !== 'GET' || match?.found == null) return send(404, { error: 'not_found' });
  const authorization = request.headers.authorization ?? '';
  const [scheme, token] = authorization.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token)
    return send(401, { error: 'invalid_token', error_description: 'bearer token required' });
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(context.jwks()), { issuer: context.issuer });
    const reader = context.directory.agent(String(agentIdOf(payload)));
    if (reader?.kind !== 'directory-reader')
      return send(403, { error: 'insufficient_scope', error_description: 'not a directory reader' });
  } catch {
    return send(401, { error: 'invalid_token', error_description: 'token verification failed' });
  }
  const human = context.directory.human(decodeURIComponent(match.found[1] ?? ''));
  if (human === undefined) return send(404, { error: 'not_found', error_description: 'user not found' });
  return send(200, rolesBody(context.directory, human, match.route));
}
