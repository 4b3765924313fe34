import { randomUUID } from 'node:crypto';
import { InSessionAPICall } from '@dual-auth/client';
import { type IdpAdapter, Secret, type TokenResponse, type Vendor } from '@dual-auth/core';
import type { EmbeddedIdp } from '@dual-auth/testkit';
import { createAdapter, loadAgentConfig, type SharedSettings } from './agent-setup.ts';
import type { AuditTrail } from './audit-trail.ts';
import { exchangeSupport } from './exchange-support.ts';
import type { FinanceApi } from './finance-api.ts';
import type { FinanceTask } from './finance-task.ts';
import { idpRefusalOutcome } from './idp-refusal-outcome.ts';
import { isTokenRequestError, runFinanceTask } from './run-finance-task.ts';
import type { FailedCondition, TaskOutcome } from './task-outcome.ts';

/** One token exchange: the agent that exchanges the token it holds, and the scopes it asks for. */
export interface ExchangeHop {
  readonly agentId: string;
  /** Scopes to ask for (default: the agent's `API_SCOPE`). */
  readonly scope?: readonly string[];
  /**
   * `API_AUDIENCE` of this exchange (default: the finance API's): at Auth0, the next agent's own
   * API, so that agent may exchange the token in turn.
   */
  readonly audience?: string;
}

/** A task run on exchanged tokens: the human signs in, then each hop exchanges the token before. */
export interface ExchangeTaskRequest {
  readonly vendor: Vendor;
  /** The human's login name (`alice`): the web application's session holds their access token. */
  readonly human: string;
  /** The first hop exchanges the human's token; each later one the token of the hop before it. */
  readonly hops: readonly ExchangeHop[];
  readonly task: FinanceTask;
  readonly correlationId?: string;
}

// Refusals whose text names no subject the way classifyIdpRefusal reads: Auth0's "User has not
// been granted scopes" is the human's RBAC (the adapter's vendorCode scope_not_granted).
const failedByVendorCode: Readonly<Record<string, FailedCondition>> = { scope_not_granted: 'human' };

/** Runs tasks in exchange mode (`DUAL_AUTH_MODE=exchange`). */
export interface ExchangeFlow {
  run(request: ExchangeTaskRequest): Promise<TaskOutcome>;
}

/** Options of {@link createExchangeFlow}. */
export interface ExchangeFlowOptions {
  readonly idp: EmbeddedIdp;
  readonly shared: SharedSettings;
  readonly api: FinanceApi;
  readonly trail: AuditTrail;
}

/**
 * The exchange flow: the human's own access token (from the vendor's sign-in), exchanged by each
 * hop's agent with its exchange-mode adapter at the IdP (RFC 8693), the last token presented to
 * the finance API's `rfc8693` route. An IdP refusal stops the task there, recorded in the trail.
 */
export function createExchangeFlow(options: ExchangeFlowOptions): ExchangeFlow {
  const { idp, shared, api, trail } = options;
  const apiCall = new InSessionAPICall({ timeoutSeconds: 10, retries: 0 });
  const adapters = new Map<string, Promise<IdpAdapter>>();

  function adapterFor(vendor: Vendor, hop: ExchangeHop): Promise<IdpAdapter> {
    const key = `${vendor}/${hop.agentId}/${hop.audience ?? ''}`;
    let pending = adapters.get(key);
    if (pending === undefined) {
      pending = loadAgentConfig(idp, shared, {
        vendor,
        agentId: hop.agentId,
        mode: 'exchange',
        apiUrl: api.url(vendor, 'rfc8693'),
      }).then((config) => createAdapter(hop.audience ? { ...config, audience: hop.audience } : config));
      adapters.set(key, pending);
    }
    return pending;
  }

  return {
    async run(request) {
      const { vendor } = request;
      const support = exchangeSupport(vendor);
      if (support === undefined) throw new TypeError(`no exchange mode for ${vendor} in the demo`);
      const correlationId = request.correlationId ?? randomUUID();
      const profile = idp.profile(vendor);
      const human = profile.humans.find((candidate) =>
        candidate.name.toLowerCase().startsWith(request.human),
      );
      if (human === undefined) throw new TypeError(`no human ${request.human}`);
      const [first] = request.hops;
      if (first === undefined) throw new TypeError('an exchange task needs at least one hop');
      let subjectToken = await support.humanToken(profile, request.human, first.agentId);
      let tokenResponse: TokenResponse | undefined;
      for (const hop of request.hops) {
        const adapter = await adapterFor(vendor, hop);
        try {
          tokenResponse = await adapter.requestToken({
            agentId: hop.agentId,
            act: { sub: human.id },
            subjectToken,
            ...(hop.scope ? { scope: hop.scope } : {}),
          });
        } catch (error) {
          if (!isTokenRequestError(error)) throw error;
          return idpRefusalOutcome(error, {
            trail,
            source: 'agent',
            correlationId,
            vendor,
            agentId: hop.agentId,
            humanId: human.id,
            refused: 'token exchange',
            failed: failedByVendorCode[error.vendorCode ?? ''],
          });
        }
        subjectToken = new Secret(tokenResponse.accessToken);
      }
      if (tokenResponse === undefined) throw new TypeError('no exchanged token');
      return runFinanceTask({
        apiCall,
        apiUrl: api.url(vendor, 'rfc8693'),
        tokenResponse,
        task: request.task,
        correlationId,
      });
    },
  };
}
