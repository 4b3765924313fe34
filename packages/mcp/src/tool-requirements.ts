import type { VerifyRequirements } from '@dual-auth/verifier';

/**
 * What one MCP tool requires, checked by the verifier before the tool runs: the agent's roles and
 * scopes and the human's roles (lists are all-of), on top of a valid token, an authorized human
 * and a valid delegation.
 *
 * @example
 * ```ts
 * const requires: ToolRequirements = { agentScopes: ['finance.read'], humanRoles: ['FinanceUser'] };
 * ```
 */
export type ToolRequirements = Pick<VerifyRequirements, 'agentRoles' | 'agentScopes' | 'humanRoles'>;
