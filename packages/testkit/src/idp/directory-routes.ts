import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import type { Directory } from './directory.ts';
import type { DirectoryRoute } from './vendor-emulation.ts';

function agentIdOf(payload: Record<string, unknown>): unknown {
  return payload.azp ?? payload.cid ?? payload.client_id;
}

/**
 * Serves a human's roles at the vendor's directory routes, in its admin-API shape (Keycloak role
 * mappings, Auth0 roles, Okta groups, Graph app-role assignments), to a bearer token this profile
 * issued to a directory-reader client.
 */
export async function serveDirectory(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  context: {
    routes: readonly DirectoryRoute[];
    directory: Directory;
    issuer: string;
    jwks: () => JSONWebKeySet;
  },
): Promise<void> {
  const send = (status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const match = context.routes
    .map((route) => ({ route, found: route.pattern.exec(path) }))
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
  return send(200, match.route.body(context.directory, human));
}
