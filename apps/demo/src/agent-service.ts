import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { OutOfSessionAPICall, OutOfSessionTokenRequest } from '@dual-auth/client';
import { ActVerificationError, isDualAuthError, ReplayError, type Vendor } from '@dual-auth/core';
import { createSenderFromConfig } from '@dual-auth/sender';
import { type EmbeddedIdp, testTls } from '@dual-auth/testkit';
import { createAdapter, loadAgentConfig, type SharedSettings } from './agent-setup.ts';
import type { AuditTrail } from './audit-trail.ts';
import { decodeForDisplay } from './decode-for-display.ts';
import { type FinanceTask, parseFinanceTask, UNKNOWN_TASK_ERROR } from './finance-task.ts';
import { idpRefusalOutcome } from './idp-refusal-outcome.ts';
import { closeServer, listen } from './listen.ts';
import { readJsonBody } from './read-json-body.ts';
import { isTokenRequestError, runFinanceTask } from './run-finance-task.ts';
import { sendJson as send, sendBodyRefusal } from './send-json.ts';
import { PYTHON_REFERENCE_ISSUER } from './sign-python-act-jwt.ts';
import type { TaskOutcome } from './task-outcome.ts';
import { nativeLayout } from './vendor-setup.ts';

/** Options of {@link startAgentService}. */
export interface AgentServiceOptions {
  readonly idp: EmbeddedIdp;
  readonly vendors: readonly Vendor[];
  readonly shared: SharedSettings;
  /** The finance API's URL for a vendor (its native layout). */
  readonly apiUrl: (vendor: Vendor) => string;
  readonly trail: AuditTrail;
}

/** The running out-of-session agent service. */
export interface AgentService {
  /** `https://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  /** The `/invoke` endpoint of one agent at one vendor (`POST`, JSON `{"act_jwt": "…"}`). */
  endpoint(vendor: Vendor, agentId: string): string;
  close(): Promise<void>;
}

interface Endpoint {
  readonly vendor: Vendor;
  readonly agentId: string;
  readonly tokenRequest: OutOfSessionTokenRequest;
  /** For Python reference applications: their act JWTs all say `iss` = `sub` = "application". */
  readonly pythonTokenRequest: OutOfSessionTokenRequest;
  readonly scope: readonly string[] | undefined;
  readonly apiUrl: string;
}

const apiCall = new OutOfSessionAPICall({ timeoutSeconds: 10 });

/**
 * The out-of-session agent as its own HTTPS service, with the seed's contract: `POST /invoke` with
 * `{"act_jwt": "…", "task": "read-report" | "post-summary"}` → 200 with the task result; 400 when
 * `act_jwt` is missing ("Missing act_jwt") or not a string, the body is not a JSON object, or the
 * task is unknown; 413 for a body over 16 KiB; 415 when it is not `application/json`; 401 when the
 * act JWT is refused (signature, issuer, audience, expiry, type, replay); 403 when the IdP or the
 * API denies.
 * `/invoke` is the first vendor's `finance-agent`; `/{vendor}/{agentId}/invoke` any other agent.
 * Each endpoint loads its own configuration with `getConfig()` (`AGENT_ENDPOINT` = its URL) and
 * accepts both dual-auth's act JWTs (`typ: act+jwt`, `iss` = `APP_ID`) and the Python reference's
 * (`typ: JWT`, `iss` = `sub` = "application", the same application key).
 */
export async function startAgentService(options: AgentServiceOptions): Promise<AgentService> {
  const tls = testTls();
  const endpoints = new Map<string, Promise<Endpoint>>();
  let baseUrl = '';
  const [defaultVendor] = options.vendors;
  if (defaultVendor === undefined) throw new TypeError('at least one vendor is needed');
  const endpointUrl = (vendor: Vendor, agentId: string) => `${baseUrl}/${vendor}/${agentId}/invoke`;

  async function createEndpoint(vendor: Vendor, agentId: string, url: string): Promise<Endpoint> {
    const apiUrl = options.apiUrl(vendor);
    const config = await loadAgentConfig(options.idp, options.shared, {
      vendor,
      agentId,
      mode: nativeLayout(vendor),
      agentEndpoint: url,
      apiUrl,
    });
    // The seed's hybrid mode gives the agent the application's key to sign act assertions.
    const sender = await createSenderFromConfig(config);
    const adapter = createAdapter(
      config,
      sender.createActAssertionSigner({ audience: config.audience ?? '' }),
    );
    const verification = {
      adapter,
      keyPath: config.appPublicKeyPath ?? '',
      audience: config.agentEndpoint ?? url,
    };
    const tokenRequest = new OutOfSessionTokenRequest({
      ...verification,
      issuer: config.appId ?? '',
    });
    const pythonTokenRequest = new OutOfSessionTokenRequest({
      ...verification,
      issuer: PYTHON_REFERENCE_ISSUER,
      acceptPythonReferenceActJwt: true,
    });
    return {
      vendor,
      agentId,
      tokenRequest,
      pythonTokenRequest,
      scope: config.scope,
      apiUrl: config.apiUrl ?? apiUrl,
    };
  }

  function endpointFor(path: string): Promise<Endpoint> | undefined {
    const parts = path.split('/').filter(Boolean);
    const [vendor, agentId] =
      parts.length === 1 && parts[0] === 'invoke'
        ? [defaultVendor, 'finance-agent']
        : parts.length === 3 && parts[2] === 'invoke'
          ? [parts[0] as Vendor, parts[1] ?? '']
          : [undefined, undefined];
    if (vendor === undefined || !options.vendors.includes(vendor)) return undefined;
    if (
      !options.idp
        .profile(vendor)
        .agents.some((agent) => agent.clientId === agentId && agent.kind !== 'directory-reader')
    ) {
      return undefined;
    }
    const url = path === '/invoke' ? `${baseUrl}/invoke` : endpointUrl(vendor, agentId);
    let endpoint = endpoints.get(url);
    if (endpoint === undefined) {
      const created = createEndpoint(vendor, agentId, url);
      // A failed set-up (the IdP briefly unreachable) is not remembered: the next call tries again.
      created.catch(() => {
        if (endpoints.get(url) === created) endpoints.delete(url);
      });
      endpoint = created;
      endpoints.set(url, endpoint);
    }
    return endpoint;
  }

  async function invoke(endpoint: Endpoint, actJwt: string, task: FinanceTask, correlationId: string) {
    const refusal = (
      failed: 'act_jwt',
      code: string,
      reason: string,
      humanId?: string,
    ): [number, TaskOutcome] => [
      401,
      {
        decision: 'DENY',
        stoppedAt: 'agent',
        failed,
        code,
        httpStatus: 401,
        reason,
        correlationId,
        actJwt: decodeForDisplay(actJwt),
        auditEventId: options.trail.recordRefusal('agent', {
          correlationId,
          agentId: endpoint.agentId,
          humanId,
          action: 'act_jwt.verify',
          resource: '/invoke',
          reason,
          denial: 'token_invalid',
        }),
      },
    ];
    // The unverified `iss` only picks which configuration verifies the JWT; both check everything.
    const tokenRequest =
      decodeForDisplay(actJwt)?.claims.iss === PYTHON_REFERENCE_ISSUER
        ? endpoint.pythonTokenRequest
        : endpoint.tokenRequest;
    let verified: Awaited<ReturnType<OutOfSessionTokenRequest['receiveAndVerifyActJwt']>>;
    try {
      verified = await tokenRequest.receiveAndVerifyActJwt(actJwt);
    } catch (error) {
      if (error instanceof ActVerificationError || isDualAuthError(error, 'ERR_ACT_VERIFICATION')) {
        return refusal(
          'act_jwt',
          (error as ActVerificationError).reason,
          `act JWT refused: ${(error as ActVerificationError).reason}`,
        );
      }
      if (error instanceof ReplayError || isDualAuthError(error, 'ERR_REPLAY')) {
        return refusal(
          'act_jwt',
          (error as ReplayError).reason,
          `act JWT refused: ${(error as ReplayError).reason}`,
        );
      }
      throw error;
    }
    try {
      const tokenResponse = await tokenRequest.requestToken({
        agentId: endpoint.agentId,
        act: verified.act,
        ...(verified.delegation ? { delegation: verified.delegation } : {}),
        ...(endpoint.scope ? { scope: endpoint.scope } : {}),
      });
      const outcome = await runFinanceTask({
        apiCall,
        apiUrl: endpoint.apiUrl,
        tokenResponse,
        task,
        correlationId,
      });
      return [
        outcome.decision === 'ALLOW' ? 200 : 403,
        { ...outcome, actJwt: decodeForDisplay(actJwt) },
      ] as const;
    } catch (error) {
      if (!isTokenRequestError(error)) throw error;
      const outcome: TaskOutcome = {
        ...idpRefusalOutcome(error, {
          trail: options.trail,
          source: 'agent',
          correlationId,
          vendor: endpoint.vendor,
          agentId: endpoint.agentId,
          humanId: verified.act.sub,
          delegationType: verified.delegation?.method,
        }),
        actJwt: decodeForDisplay(actJwt),
      };
      return [403, outcome] as const;
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'https://127.0.0.1').pathname;
    const pending = endpointFor(path);
    if (pending === undefined) return send(response, 404, { error: 'not_found' });
    if (request.method !== 'POST') return send(response, 405, { error: 'method_not_allowed' });
    const body = await readJsonBody(request);
    if (!body.ok) return sendBodyRefusal(response, body);
    const actJwt = body.value.act_jwt;
    // The seed's answer, word for word, when the field is absent or empty.
    if (actJwt === undefined || actJwt === '') return send(response, 400, { error: 'Missing act_jwt' });
    if (typeof actJwt !== 'string') {
      return send(response, 400, { error: 'act_jwt must be a string (the compact act JWT)' });
    }
    const task = parseFinanceTask(body.value.task);
    if (task === undefined) return send(response, 400, { error: UNKNOWN_TASK_ERROR });
    const header = request.headers['x-request-id'];
    const correlationId = typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID();
    const [status, outcome] = await invoke(await pending, actJwt, task, correlationId);
    send(response, status, { status: status === 200 ? 'success' : 'refused', ...outcome });
  }

  const server = createServer({ cert: tls.cert, key: tls.key }, (request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, { error: 'agent task failed' });
      else response.end();
    });
  });
  const port = await listen(server);
  baseUrl = `https://127.0.0.1:${port}`;
  return {
    baseUrl,
    endpoint: (vendor, agentId) => endpointUrl(vendor, agentId),
    close: () => closeServer(server),
  };
}
