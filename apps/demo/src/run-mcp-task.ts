import type { TokenResponse } from '@dual-auth/core';
import { withDualAuth } from '@dual-auth/mcp';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { AuditTrail } from './audit-trail.ts';
import type { FinanceTask } from './finance-task.ts';
import type { FailedCondition, TaskOutcome } from './task-outcome.ts';

/** What {@link runMcpTask} needs: where the MCP server is and how the agent gets its token. */
export interface McpTaskParams {
  readonly mcpUrl: string;
  /** The agent's token for each request (the in-session token request, through its cache). */
  readonly tokenSource: () => Promise<TokenResponse>;
  readonly task: FinanceTask;
  readonly correlationId: string;
  readonly trail: AuditTrail;
}

const failedByDenial: Readonly<Record<string, FailedCondition>> = {
  agent_denied: 'agent',
  human_denied: 'human',
  human_unchecked: 'human',
  delegation_invalid: 'delegation',
  token_invalid: 'token',
};

function textOf(result: unknown): Record<string, unknown> {
  const [first] = ((result as { content?: unknown }).content ?? []) as { type?: string; text?: string }[];
  return first?.type === 'text' ? (JSON.parse(first.text ?? '{}') as Record<string, unknown>) : {};
}

/**
 * The agent as an MCP client: the official SDK's `Client` over `StreamableHTTPClientTransport`,
 * its requests carrying the dual-subject token (and in hybrid mode the act assertion) through
 * `withDualAuth`. Calls `read_report` (and `post_summary` for that task) and reads a refusal from
 * the HTTP answer: status, `WWW-Authenticate` challenge and `{error}`.
 */
export async function runMcpTask(params: McpTaskParams): Promise<TaskOutcome> {
  let refused: { status: number; challenge: string; error: string } | undefined;
  const watching: FetchLike = async (input, init) => {
    const response = await fetch(input, init);
    if (response.status === 401 || response.status === 403) {
      const body = (await response
        .clone()
        .json()
        .catch(() => ({}))) as { error?: unknown };
      refused = {
        status: response.status,
        challenge: response.headers.get('www-authenticate') ?? '',
        error: typeof body.error === 'string' ? body.error : `http_${response.status}`,
      };
    }
    return response;
  };
  const transport = new StreamableHTTPClientTransport(new URL(params.mcpUrl), {
    fetch: withDualAuth(params.tokenSource)(watching),
    requestInit: { headers: { 'x-request-id': params.correlationId } },
  });
  const client = new Client({ name: 'finance-agent', version: '1.0.0' });
  const lastAuditId = () =>
    params.trail
      .byCorrelation(params.correlationId)
      .filter((entry) => entry.source === 'mcp')
      .at(-1)?.event.id;
  try {
    await client.connect(transport);
    const report = textOf(await client.callTool({ name: 'read_report', arguments: { quarter: 'Q4' } }));
    let summary: Record<string, unknown> | undefined;
    if (params.task === 'post-summary') {
      const netIncome = Number(report.revenue) - Number(report.expenses);
      summary = textOf(
        await client.callTool({ name: 'post_summary', arguments: { quarter: 'Q4', netIncome } }),
      );
    }
    return {
      decision: 'ALLOW',
      stoppedAt: undefined,
      failed: undefined,
      code: 'allow',
      httpStatus: 200,
      reason: 'agent AND human AND delegation authorized (MCP tool call)',
      auditEventId: String((summary ?? report).auditEventId ?? lastAuditId()),
      correlationId: params.correlationId,
      result: { tool: summary ? 'post_summary' : 'read_report', report, ...(summary ? { summary } : {}) },
    };
  } catch (error) {
    if (!(error instanceof StreamableHTTPError) || refused === undefined) throw error;
    return {
      decision: 'DENY',
      stoppedAt: 'mcp',
      failed: failedByDenial[refused.error],
      code: refused.error,
      httpStatus: refused.status,
      // The spec's challenge, as the MCP client received it: it names no token, email or name.
      reason: refused.challenge,
      auditEventId: lastAuditId(),
      correlationId: params.correlationId,
    };
  } finally {
    await client.close();
  }
}
