import { randomUUID } from 'node:crypto';
import { InSessionAPICall, InSessionTokenRequest } from '@dual-auth/client';
import type { Act, DelegationMode, DualAuthConfig, TokenResponse, Vendor } from '@dual-auth/core';
import { createSenderFromConfig, type HybridSender, UserSession } from '@dual-auth/sender';
import type { EmbeddedIdp, HumanFixture } from '@dual-auth/testkit';
import type { AgentService } from './agent-service.ts';
import { createAdapter, loadAgentConfig, type SharedSettings } from './agent-setup.ts';
import type { AuditTrail } from './audit-trail.ts';
import { decodeForDisplay } from './decode-for-display.ts';
import { AUTH0_CHAIN_AGENTS } from './exchange-support.ts';
import type { FinanceApi } from './finance-api.ts';
import type { FinanceMcpServer } from './finance-mcp-server.ts';
import type { FinanceTask } from './finance-task.ts';
import { idpRefusalOutcome } from './idp-refusal-outcome.ts';
import { isTokenRequestError, runFinanceTask } from './run-finance-task.ts';
import { runMcpTask } from './run-mcp-task.ts';
import type { TaskOutcome } from './task-outcome.ts';
import { nativeLayout } from './vendor-setup.ts';

/** What a person (or a scenario) asks the application to do. */
export interface TaskRequest {
  readonly vendor: Vendor;
  readonly humanId: string;
  readonly agentId: string;
  /** `mcp`: the in-session agent calls the finance-tools MCP server with the MCP SDK client. */
  readonly flow: 'in-session' | 'out-of-session' | 'mcp';
  readonly task: FinanceTask;
  readonly correlationId?: string;
  /**
   * The signed-in human's session (from their verified ID token) when the request comes from the
   * web page; without it (scripted scenarios) the session is built from the IdP user `humanId`.
   */
  readonly session?: UserSession;
}

/** The web application: runs its in-session agent for the signed-in human, calls the remote agent. */
export interface DemoApplication {
  readonly sender: HybridSender;
  humans(vendor: Vendor): readonly HumanFixture[];
  agentIds(vendor: Vendor): readonly string[];
  actFor(vendor: Vendor, humanId: string): Act;
  runTask(request: TaskRequest): Promise<TaskOutcome>;
  /** The in-session agent's token request (scenarios reuse it to build attacks). */
  requestInSessionToken(
    vendor: Vendor,
    agentId: string,
    humanId: string,
    mode?: DelegationMode,
  ): Promise<TokenResponse>;
  /** POSTs `{act_jwt, task}` to an agent endpoint; returns the HTTP status and the agent's answer. */
  invokeAgent(
    endpoint: string,
    body: Record<string, unknown>,
    correlationId: string,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
}

/** Options of {@link createDemoApplication}. */
export interface DemoApplicationOptions {
  readonly idp: EmbeddedIdp;
  readonly vendors: readonly Vendor[];
  readonly shared: SharedSettings;
  readonly api: FinanceApi;
  readonly agentService: AgentService;
  readonly mcp: FinanceMcpServer;
  readonly trail: AuditTrail;
}

/** Builds the application side: its sender (act JWTs), its in-session agent and its API client. */
export async function createDemoApplication(options: DemoApplicationOptions): Promise<DemoApplication> {
  const { idp, shared, api, agentService, mcp, trail } = options;
  const [firstVendor] = options.vendors;
  if (firstVendor === undefined) throw new TypeError('at least one vendor is needed');
  const appConfig = await loadAgentConfig(idp, shared, {
    vendor: firstVendor,
    agentId: 'finance-agent',
    mode: nativeLayout(firstVendor),
  });
  const sender = await createSenderFromConfig(appConfig);
  const apiCall = new InSessionAPICall({ timeoutSeconds: 10 });
  const setups = new Map<string, Promise<{ config: DualAuthConfig; tokenRequest: InSessionTokenRequest }>>();

  function setup(vendor: Vendor, agentId: string, mode: DelegationMode) {
    const key = `${vendor}/${agentId}/${mode}`;
    let pending = setups.get(key);
    if (pending === undefined) {
      pending = (async () => {
        const config = await loadAgentConfig(idp, shared, {
          vendor,
          agentId,
          mode,
          apiUrl: api.url(vendor, mode),
        });
        const signer = sender.createActAssertionSigner({ audience: config.audience ?? '' });
        return {
          config,
          tokenRequest: new InSessionTokenRequest({ adapter: createAdapter(config, signer) }),
        };
      })();
      setups.set(key, pending);
    }
    return pending;
  }

  function human(vendor: Vendor, humanId: string): HumanFixture {
    const found = idp.profile(vendor).humans.find((candidate) => candidate.id === humanId);
    if (found === undefined) throw new TypeError('unknown human');
    return found;
  }

  function actFor(vendor: Vendor, humanId: string): Act {
    const user = human(vendor, humanId);
    // The session as an OIDC login would leave it: the IAM user id, with email and name for display.
    return sender.extractActFromSession(
      new UserSession({
        userId: user.id,
        userEmail: user.email,
        userName: user.name,
        ...(vendor === 'entraid' ? { userOid: user.id } : {}),
      }),
    );
  }

  async function inSessionToken(vendor: Vendor, agentId: string, act: Act, mode: DelegationMode) {
    const { config, tokenRequest } = await setup(vendor, agentId, mode);
    return tokenRequest.requestToken({ agentId, act, ...(config.scope ? { scope: config.scope } : {}) });
  }

  async function requestInSessionToken(
    vendor: Vendor,
    agentId: string,
    humanId: string,
    mode = nativeLayout(vendor),
  ) {
    return inSessionToken(vendor, agentId, actFor(vendor, humanId), mode);
  }

  function actOf(request: TaskRequest): Act {
    return request.session
      ? sender.extractActFromSession(request.session)
      : actFor(request.vendor, request.humanId);
  }

  async function invokeAgent(endpoint: string, body: Record<string, unknown>, correlationId: string) {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': correlationId },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      parsed = {};
    }
    return {
      status: response.status,
      body: (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>,
    };
  }

  async function runInSession(request: TaskRequest, correlationId: string): Promise<TaskOutcome> {
    const mode = nativeLayout(request.vendor);
    const act = actOf(request);
    let tokenResponse: TokenResponse;
    try {
      tokenResponse = await inSessionToken(request.vendor, request.agentId, act, mode);
    } catch (error) {
      if (!isTokenRequestError(error)) throw error;
      return idpRefusalOutcome(error, {
        trail,
        source: 'app',
        correlationId,
        vendor: request.vendor,
        agentId: request.agentId,
        humanId: request.humanId,
      });
    }
    if (request.flow === 'mcp') {
      return runMcpTask({
        mcpUrl: mcp.url(request.vendor),
        // Asked per MCP request: the token cache hands back this token until shortly before exp.
        tokenSource: () => inSessionToken(request.vendor, request.agentId, act, mode),
        task: request.task,
        correlationId,
        trail,
      });
    }
    return runFinanceTask({
      apiCall,
      apiUrl: api.url(request.vendor, mode),
      tokenResponse,
      task: request.task,
      correlationId,
    });
  }

  async function runOutOfSession(request: TaskRequest, correlationId: string): Promise<TaskOutcome> {
    const endpoint = agentService.endpoint(request.vendor, request.agentId);
    const actJwt = await sender.prepareOutOfSessionAct(actOf(request), {
      agentEndpoint: endpoint,
    });
    const { status, body } = await invokeAgent(
      endpoint,
      { act_jwt: actJwt, task: request.task },
      correlationId,
    );
    return outcomeFromAgent(status, body, correlationId, actJwt);
  }

  return {
    sender,
    humans: (vendor) => idp.profile(vendor).humans,
    agentIds: (vendor) =>
      idp
        .profile(vendor)
        // The Auth0 chain agents exist for the exchange rows' delegation chains only.
        .agents.filter(
          (agent) => agent.kind !== 'directory-reader' && !AUTH0_CHAIN_AGENTS.includes(agent.clientId),
        )
        .map((agent) => agent.clientId),
    actFor,
    requestInSessionToken,
    invokeAgent,
    runTask(request) {
      const correlationId = request.correlationId ?? randomUUID();
      return request.flow !== 'out-of-session'
        ? runInSession(request, correlationId)
        : runOutOfSession(request, correlationId);
    },
  };
}

/** Reads the agent service's answer into a {@link TaskOutcome}. */
export function outcomeFromAgent(
  status: number,
  body: Record<string, unknown>,
  correlationId: string,
  actJwt?: string,
): TaskOutcome {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    decision: status === 200 ? 'ALLOW' : 'DENY',
    stoppedAt: (text(body.stoppedAt) as TaskOutcome['stoppedAt']) ?? (status === 200 ? undefined : 'agent'),
    failed: text(body.failed) as TaskOutcome['failed'],
    code: text(body.code) ?? text(body.error) ?? `http_${status}`,
    httpStatus: status,
    reason: text(body.reason) ?? text(body.error) ?? `HTTP ${status}`,
    auditEventId: text(body.auditEventId),
    correlationId,
    agentToken: body.agentToken as TaskOutcome['agentToken'],
    actAssertion: body.actAssertion as TaskOutcome['actAssertion'],
    actJwt: (body.actJwt as TaskOutcome['actJwt']) ?? decodeForDisplay(actJwt),
    result: body.result,
  };
}
