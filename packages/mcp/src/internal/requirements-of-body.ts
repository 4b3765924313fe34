import type { VerifyRequirements } from '@dual-auth/verifier';
import type { ToolRequirements } from '../tool-requirements.ts';

/** The requirements of one MCP HTTP request, and which protected tools they covered. */
export interface RequestRequirements {
  readonly requirements: VerifyRequirements;
  readonly checkedTools: readonly string[];
}

const union = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
  b === undefined || b.length === 0 ? a : [...new Set([...(a ?? []), ...b])];

function merge(into: ToolRequirements, more: ToolRequirements): ToolRequirements {
  const agentRoles = union(into.agentRoles, more.agentRoles);
  const agentScopes = union(into.agentScopes, more.agentScopes);
  const humanRoles = union(into.humanRoles, more.humanRoles);
  return {
    ...(agentRoles ? { agentRoles } : {}),
    ...(agentScopes ? { agentScopes } : {}),
    ...(humanRoles ? { humanRoles } : {}),
  };
}

function messagesOf(body: unknown): readonly unknown[] {
  return Array.isArray(body) ? body : [body];
}

function toolCalled(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { method, params } = message as { method?: unknown; params?: unknown };
  if (method !== 'tools/call' || typeof params !== 'object' || params === null) return undefined;
  const { name } = params as { name?: unknown };
  return typeof name === 'string' ? name : undefined;
}

function methodOf(message: unknown): string | undefined {
  const method = (message as { method?: unknown } | null)?.method;
  return typeof method === 'string' ? method : undefined;
}

/**
 * The requirements for one parsed JSON-RPC body (a message or a batch): the server's baseline,
 * plus every protected tool a `tools/call` in it names. The audited action is the JSON-RPC method,
 * `tools/call <name>` for a tool, or the HTTP method when the body says nothing.
 */
export function requirementsOfBody(
  body: unknown,
  httpMethod: string,
  baseline: ToolRequirements,
  tools: ReadonlyMap<string, ToolRequirements>,
  resource: string,
): RequestRequirements {
  let combined = baseline;
  const checkedTools: string[] = [];
  const actions: string[] = [];
  for (const message of messagesOf(body)) {
    const tool = toolCalled(message);
    const method = methodOf(message);
    if (tool !== undefined) {
      actions.push(`tools/call ${tool}`);
      const required = tools.get(tool);
      if (required !== undefined) {
        combined = merge(combined, required);
        checkedTools.push(tool);
      }
    } else if (method !== undefined) actions.push(method);
  }
  return {
    requirements: { ...combined, action: actions.length > 0 ? actions.join(', ') : httpMethod, resource },
    checkedTools,
  };
}
