import type { DecodedJwt } from './decode-for-display.ts';

/**
 * Where a request was stopped: IdP pre-approval, the agent's act-JWT checks, the API's verifier, or
 * the MCP server's (the same verifier, behind the MCP authorization challenges).
 */
export type StoppedAt = 'idp' | 'agent' | 'api' | 'mcp';

/** Which condition failed, as far as the component that stopped the request can tell. */
export type FailedCondition = 'agent' | 'human' | 'delegation' | 'token' | 'act_jwt';

/** The result of one agent task, as the page and the table show it (no raw token, no secret). */
export interface TaskOutcome {
  readonly decision: 'ALLOW' | 'DENY';
  readonly stoppedAt: StoppedAt | undefined;
  readonly failed: FailedCondition | undefined;
  /** Denial code (`agent_denied`, `access_denied`, `replayed`, `signature_invalid`…) or `allow`. */
  readonly code: string;
  readonly httpStatus: number | undefined;
  /** Fixed reason text, IAM ids only. */
  readonly reason: string;
  readonly auditEventId: string | undefined;
  readonly correlationId: string;
  readonly agentToken?: DecodedJwt | undefined;
  readonly actAssertion?: DecodedJwt | undefined;
  readonly actJwt?: DecodedJwt | undefined;
  readonly result?: unknown;
}
