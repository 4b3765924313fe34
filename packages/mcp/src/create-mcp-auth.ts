import { ACT_ASSERTION_HEADER } from '@dual-auth/core';
import { createVerifier, type Verifier, type VerifierOptions } from '@dual-auth/verifier';
import {
  InsufficientScopeError,
  InvalidTokenError,
  ServerError,
} from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { McpServer, RegisteredTool, ToolCallback } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AnySchema, ZodRawShapeCompat } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { dualAuthOf } from './dual-auth-of.ts';
import { authInfoOf } from './internal/auth-info-of.ts';
import { requirementsOfBody } from './internal/requirements-of-body.ts';
import { type McpDenial, mcpDenial } from './mcp-denial.ts';
import type { ToolRequirements } from './tool-requirements.ts';

/**
 * Options of {@link createMcpAuth}: the verifier's options, with the audience bound to the MCP
 * server's own URL unless given.
 *
 * @example
 * ```ts
 * const options: McpAuthOptions = {
 *   resource: 'https://mcp.example.com/mcp',
 *   issuer: 'https://sso.example.com/realms/acme',
 *   jwksUri: 'https://sso.example.com/realms/acme/protocol/openid-connect/certs',
 *   vendor: 'keycloak',
 *   layout: 'agbac',
 *   humanAuthorizedByIdp: true,
 * };
 * ```
 */
export interface McpAuthOptions extends Omit<VerifierOptions, 'audience'> {
  /** The MCP server's canonical URL (RFC 8707 resource indicator), e.g. `https://mcp.example.com/mcp`. */
  readonly resource: string | URL;
  /**
   * Accepted `aud` value(s); default the resource URL (RFC 8707 audience binding). Set it only for an
   * IdP that cannot put the resource URL in `aud` (Entra ID v2 tokens carry the API's client id).
   */
  readonly audience?: string | readonly string[];
  /** `authorization_servers` of the protected resource metadata; default the `issuer`(s). */
  readonly authorizationServers?: readonly string[];
  /** `scopes_supported` of the protected resource metadata. */
  readonly scopesSupported?: readonly string[];
  /** `resource_name` of the protected resource metadata. */
  readonly resourceName?: string;
  /** What every MCP request requires (default: nothing beyond token, human and delegation). */
  readonly baseline?: ToolRequirements;
}

/**
 * The parts of a Node (or Express) request the MCP authorization reads; `auth` is where the SDK's
 * streamable HTTP transport takes the `AuthInfo` from.
 *
 * @example
 * ```ts
 * const request: McpHttpRequest = { method: 'POST', url: '/mcp', headers: { authorization } };
 * ```
 */
export interface McpHttpRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly originalUrl?: string | undefined;
  /** The parsed JSON-RPC body (Express `express.json()`), read for the tools it calls. */
  readonly body?: unknown;
  auth?: AuthInfo;
}

/**
 * The parts of a Node `ServerResponse` the middleware answers a denial with.
 *
 * @example
 * ```ts
 * const response: McpHttpResponse = nodeServerResponse;
 * ```
 */
export interface McpHttpResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
}

/**
 * The outcome of {@link McpAuth.authorize}: the SDK's `AuthInfo` to set on the request, or the
 * spec's denial to answer with.
 *
 * @example
 * ```ts
 * const outcome: McpAuthorization = await mcpAuth.authorize(request, body);
 * if (!outcome.ok) response.writeHead(outcome.denial.status, outcome.denial.headers).end(JSON.stringify(outcome.denial.body));
 * ```
 */
export type McpAuthorization =
  | { readonly ok: true; readonly authInfo: AuthInfo }
  | { readonly ok: false; readonly denial: McpDenial };

/**
 * A tool's SDK configuration plus what it requires of agent and human.
 *
 * @example
 * ```ts
 * const config: ProtectedToolConfig<undefined, undefined> = {
 *   description: 'Quarterly report',
 *   requires: { agentScopes: ['finance.read'], humanRoles: ['FinanceUser'] },
 * };
 * ```
 */
export interface ProtectedToolConfig<
  OutputArgs extends ZodRawShapeCompat | AnySchema | undefined,
  InputArgs extends undefined | ZodRawShapeCompat | AnySchema,
> {
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema?: InputArgs;
  readonly outputSchema?: OutputArgs;
  readonly annotations?: Parameters<McpServer['registerTool']>[1]['annotations'];
  readonly _meta?: Record<string, unknown>;
  /** Checked before the tool runs; a denial is the spec's 403 `insufficient_scope` challenge. */
  readonly requires: ToolRequirements;
}

/**
 * A dual-subject MCP resource server, built by {@link createMcpAuth}.
 *
 * @example
 * ```ts
 * app.get(mcpAuth.resourceMetadataPath, (_req, res) => res.json(mcpAuth.protectedResourceMetadata));
 * app.post('/mcp', express.json(), mcpAuth.middleware, (req, res) => transport.handleRequest(req, res, req.body));
 * ```
 */
export interface McpAuth {
  /** The verifier behind every decision. */
  readonly verifier: Verifier;
  readonly resource: URL;
  /** Where the RFC 9728 metadata is served: `{origin}/.well-known/oauth-protected-resource{path}`. */
  readonly resourceMetadataUrl: string;
  /** The path of `resourceMetadataUrl`, to mount the metadata route at. */
  readonly resourceMetadataPath: string;
  /** The RFC 9728 protected resource metadata document. */
  readonly protectedResourceMetadata: OAuthProtectedResourceMetadata;
  /**
   * For the SDK's `requireBearerAuth({ verifier })` in the `agbac` and `rfc8693` layouts: it sees
   * the token only, so no act assertion (hybrid) and no per-tool requirements; use `middleware`
   * for those.
   */
  readonly tokenVerifier: OAuthTokenVerifier;
  /** Decides one MCP HTTP request (its parsed JSON-RPC body, if any). Never throws for a bad token. */
  authorize(request: McpHttpRequest, body?: unknown): Promise<McpAuthorization>;
  /**
   * Express / Node middleware for the MCP endpoint: sets `req.auth` (read by the SDK's transport)
   * or answers the denial. Mount it after `express.json()` so tool calls are seen.
   */
  middleware(request: McpHttpRequest, response: McpHttpResponse, next: (error?: unknown) => void): void;
  /** `server.registerTool` with the tool's requirements declared beside it and enforced. */
  protectedTool<
    OutputArgs extends ZodRawShapeCompat | AnySchema,
    InputArgs extends undefined | ZodRawShapeCompat | AnySchema = undefined,
  >(
    server: McpServer,
    name: string,
    config: ProtectedToolConfig<OutputArgs, InputArgs>,
    callback: ToolCallback<InputArgs>,
  ): RegisteredTool;
}

const actAssertionHeader = ACT_ASSERTION_HEADER.toLowerCase();

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function withoutQuery(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function list(value: string | readonly string[]): readonly string[] {
  return typeof value === 'string' ? [value] : value;
}

const sameRequirements = (a: ToolRequirements, b: ToolRequirements) =>
  JSON.stringify([a.agentRoles, a.agentScopes, a.humanRoles]) ===
  JSON.stringify([b.agentRoles, b.agentScopes, b.humanRoles]);

/**
 * Makes an MCP server built with the official TypeScript SDK a dual-subject resource server: the
 * token's agent AND the human it acts for AND the delegation are checked by `@dual-auth/verifier`
 * on every request, each protected tool's requirements before it runs; the audience is the
 * server's own URL (RFC 8707) unless given; denials answer as the MCP authorization spec says (401
 * with `resource_metadata`, 403 `insufficient_scope`); tool handlers read both subjects with
 * `dualAuthOf(extra)`. Throws a `TypeError` for bad options.
 *
 * @example
 * ```ts
 * const mcpAuth = createMcpAuth({
 *   resource: 'https://mcp.example.com/mcp',
 *   issuer: 'https://sso.example.com/realms/acme',
 *   jwksUri: 'https://sso.example.com/realms/acme/protocol/openid-connect/certs',
 *   vendor: 'keycloak',
 *   layout: 'agbac',
 *   humanAuthorizer: createStaticHumanAuthorizer({ 'f1d2…-alice': { roles: ['finance'] } }),
 * });
 * mcpAuth.protectedTool(server, 'read_report', { requires: { humanRoles: ['finance'] } }, async (extra) => ({
 *   content: [{ type: 'text', text: `for ${dualAuthOf(extra)?.human.id}` }],
 * }));
 * ```
 */
export function createMcpAuth(options: McpAuthOptions): McpAuth {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createMcpAuth: options must be an object');
  const {
    resource: resourceOption,
    authorizationServers,
    scopesSupported,
    resourceName,
    baseline = {},
  } = options;
  let resource: URL;
  try {
    resource = new URL(resourceOption);
  } catch {
    throw new TypeError('createMcpAuth: resource must be the MCP server URL');
  }
  if (resource.hash !== '')
    throw new TypeError('createMcpAuth: resource must not have a fragment (RFC 8707)');
  const {
    resource: _resource,
    authorizationServers: _servers,
    scopesSupported: _scopes,
    resourceName: _name,
    baseline: _baseline,
    ...verifierOptions
  } = options;
  const verifier = createVerifier({ ...verifierOptions, audience: options.audience ?? resource.href });
  const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(resource);
  const protectedResourceMetadata: OAuthProtectedResourceMetadata = Object.freeze({
    resource: resource.href,
    authorization_servers: [...(authorizationServers ?? list(options.issuer))],
    bearer_methods_supported: ['header'],
    ...(scopesSupported ? { scopes_supported: [...scopesSupported] } : {}),
    ...(resourceName ? { resource_name: resourceName } : {}),
  });
  const tools = new Map<string, ToolRequirements>();
  const resourcePath = resource.pathname;

  async function authorize(request: McpHttpRequest, body: unknown = request.body): Promise<McpAuthorization> {
    const httpMethod = request.method ?? 'POST';
    const { requirements, checkedTools } = requirementsOfBody(
      body,
      httpMethod,
      baseline,
      tools,
      resourcePath,
    );
    const authorization = single(request.headers.authorization);
    const decision = await verifier.verify(
      {
        authorization,
        actAssertion: single(request.headers[actAssertionHeader]),
        method: httpMethod,
        path: withoutQuery(request.originalUrl ?? request.url ?? resourcePath),
        requestId: single(request.headers['x-request-id']),
        traceparent: single(request.headers.traceparent),
      },
      requirements,
    );
    if (!decision.allow) {
      const tokenSent = authorization !== undefined && authorization.trim() !== '';
      return {
        ok: false,
        denial: mcpDenial(decision, resourceMetadataUrl, requirements.agentScopes, tokenSent),
      };
    }
    const token = (authorization as string).slice((authorization as string).indexOf(' ') + 1).trim();
    return { ok: true, authInfo: authInfoOf(decision, token, resource, checkedTools) };
  }

  function middleware(request: McpHttpRequest, response: McpHttpResponse, next: (error?: unknown) => void) {
    authorize(request).then((outcome) => {
      if (outcome.ok) {
        request.auth = outcome.authInfo;
        next();
        return;
      }
      const { status, headers, body } = outcome.denial;
      response.writeHead(status, { ...headers, 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    }, next);
  }

  const tokenVerifier: OAuthTokenVerifier = {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const outcome = await authorize({ headers: { authorization: `Bearer ${token}` } }, undefined);
      if (outcome.ok) return outcome.authInfo;
      const { status, body } = outcome.denial;
      if (status === 401) throw new InvalidTokenError(body.error_description);
      if (status === 403) throw new InsufficientScopeError(body.error_description);
      throw new ServerError(body.error_description);
    },
  };

  const protectedTool: McpAuth['protectedTool'] = (server, name, config, callback) => {
    const { requires, ...sdkConfig } = config;
    if (typeof requires !== 'object' || requires === null)
      throw new TypeError(
        `protectedTool ${name}: requires must list what the tool needs ({} for nothing more)`,
      );
    const known = tools.get(name);
    if (known !== undefined && !sameRequirements(known, requires))
      throw new TypeError(`protectedTool ${name}: already declared with other requirements`);
    tools.set(name, Object.freeze({ ...requires }));
    const guarded = (...parameters: unknown[]) => {
      const extra = parameters.at(-1) as { authInfo?: AuthInfo } | undefined;
      // Fail closed when the request did not pass through `authorize` with this tool in view.
      if (dualAuthOf(extra)?.checkedTools.includes(name) !== true) {
        return {
          isError: true,
          content: [{ type: 'text' as const, text: `tool ${name}: dual-auth requirements were not checked` }],
        };
      }
      return (callback as (...values: unknown[]) => unknown)(...parameters);
    };
    return server.registerTool(name, sdkConfig as Parameters<McpServer['registerTool']>[1], guarded as never);
  };

  return Object.freeze({
    verifier,
    resource,
    resourceMetadataUrl,
    resourceMetadataPath: new URL(resourceMetadataUrl).pathname,
    protectedResourceMetadata,
    tokenVerifier,
    authorize,
    middleware,
    protectedTool,
  });
}
