export {
  createMcpAuth,
  type McpAuth,
  type McpAuthOptions,
  type McpAuthorization,
  type McpHttpRequest,
  type McpHttpResponse,
  type ProtectedToolConfig,
} from './create-mcp-auth.ts';
export { type DualAuthContext, dualAuthOf } from './dual-auth-of.ts';
export type { McpDenial } from './mcp-denial.ts';
export type { ToolRequirements } from './tool-requirements.ts';
export { type DualAuthTokenSource, withDualAuth } from './with-dual-auth.ts';
