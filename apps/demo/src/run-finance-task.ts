import type { InSessionAPICall, OutOfSessionAPICall } from '@dual-auth/client';
import { isDualAuthError, TokenRequestError, type TokenResponse } from '@dual-auth/core';
import { decodeForDisplay } from './decode-for-display.ts';
import type { FinanceTask } from './finance-task.ts';
import type { FailedCondition, TaskOutcome } from './task-outcome.ts';

const failedByDenial: Readonly<Record<string, FailedCondition>> = {
  agent_denied: 'agent',
  human_denied: 'human',
  delegation_invalid: 'delegation',
  token_invalid: 'token',
};

async function jsonOf(response: Response): Promise<Record<string, unknown>> {
  try {
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Calls the finance API with a dual-subject token and reports the API's decision. */
export async function runFinanceTask(params: {
  readonly apiCall: InSessionAPICall | OutOfSessionAPICall;
  readonly apiUrl: string;
  readonly tokenResponse: TokenResponse;
  readonly task: FinanceTask;
  readonly correlationId: string;
}): Promise<TaskOutcome> {
  const { apiCall, apiUrl, tokenResponse, correlationId } = params;
  const shown = {
    correlationId,
    agentToken: decodeForDisplay(tokenResponse.accessToken),
    actAssertion: decodeForDisplay(tokenResponse.actAssertion),
  };
  const headers = { 'x-request-id': correlationId };
  const denied = (status: number, body: Record<string, unknown>): TaskOutcome => ({
    ...shown,
    decision: 'DENY',
    stoppedAt: 'api',
    failed: failedByDenial[String(body.error)],
    code: typeof body.error === 'string' ? body.error : `http_${status}`,
    httpStatus: status,
    reason: typeof body.error_description === 'string' ? body.error_description : `HTTP ${status}`,
    auditEventId: typeof body.auditEventId === 'string' ? body.auditEventId : undefined,
  });
  const reportResponse = await apiCall.callApi({
    method: 'GET',
    url: `${apiUrl}/reports/Q4`,
    tokenResponse,
    headers,
  });
  const report = await jsonOf(reportResponse);
  if (!reportResponse.ok) return denied(reportResponse.status, report);
  let summary: Record<string, unknown> | undefined;
  if (params.task === 'post-summary') {
    const netIncome = Number(report.revenue) - Number(report.expenses);
    const summaryResponse = await apiCall.callApi({
      method: 'POST',
      url: `${apiUrl}/summaries`,
      tokenResponse,
      headers,
      json: { quarter: report.quarter, netIncome },
    });
    summary = await jsonOf(summaryResponse);
    if (!summaryResponse.ok) return denied(summaryResponse.status, summary);
  }
  return {
    ...shown,
    decision: 'ALLOW',
    stoppedAt: undefined,
    failed: undefined,
    code: 'allow',
    httpStatus: summary ? 201 : 200,
    reason: 'agent AND human AND delegation authorized',
    auditEventId: String((summary ?? report).auditEventId),
    result: {
      report: { quarter: report.quarter, revenue: report.revenue, expenses: report.expenses },
      ...(summary ? { summary: { id: summary.id, netIncome: summary.netIncome } } : {}),
    },
  };
}

/** Which subject an IdP refusal names, read from the vendor's error description. */
export function classifyIdpRefusal(error: TokenRequestError): FailedCondition | undefined {
  const text = error.message;
  if (/has not approved/i.test(text)) return 'delegation';
  if (/user \S+ (lacks|does not exist)/i.test(text)) return 'human';
  if (/client|application '|agent/i.test(text)) return 'agent';
  return undefined;
}

/** Whether an error is the IdP refusing (or failing) a token request. */
export function isTokenRequestError(error: unknown): error is TokenRequestError {
  return error instanceof TokenRequestError || isDualAuthError(error, 'ERR_TOKEN_REQUEST');
}
