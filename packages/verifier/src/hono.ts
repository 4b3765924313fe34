import type { MiddlewareHandler } from 'hono';
import type { Verifier, VerifyRequirements } from './create-verifier.ts';
import type { AllowDecision, Decision } from './decision.ts';
import { decisionEntry } from './internal/decide-now.ts';
import {
  credentialHeadersFromRaw,
  denialResponse,
  type MiddlewareOptions,
} from './internal/denial-response.ts';
import type { VerifyRequestFields } from './internal/request-credentials.ts';

/**
 * The context variables {@link requireDualAuth} sets: `c.get('dualAuth')` is the allow decision.
 *
 * @example
 * ```ts
 * const app = new Hono<{ Variables: DualAuthVariables }>();
 * ```
 */
export interface DualAuthVariables {
  dualAuth: AllowDecision;
}

/**
 * Hono middleware enforcing dual-subject authorization on a route: it sets `c.var.dualAuth` to
 * the allow decision, or answers 401/403/503 with a `WWW-Authenticate` challenge (RFC 6750) and a
 * JSON `{error, error_description}` body. Runs on Node and on edge runtimes.
 *
 * @example
 * ```ts
 * import { requireDualAuth } from '@dual-auth/verifier/hono';
 * const app = new Hono<{ Variables: DualAuthVariables }>();
 * app.get('/reports', requireDualAuth(verifier, { agentRoles: ['reports.read'] }), (c) =>
 *   c.json({ human: c.var.dualAuth.human.id }),
 * );
 * ```
 */
export function requireDualAuth(
  verifier: Verifier,
  requirements: VerifyRequirements = {},
  options: MiddlewareOptions = {},
): MiddlewareHandler<{ Variables: DualAuthVariables }> {
  const decide = decisionEntry<VerifyRequestFields, VerifyRequirements>(verifier);
  return (c, next) => {
    // On @hono/node-server the Node request is at hand: reading its raw header list avoids
    // building a WHATWG Request (or Node's header object) per call. Elsewhere (edge runtimes) the
    // standard accessors are used.
    const incoming = (
      c.env as { incoming?: { rawHeaders?: readonly string[]; url?: string; method?: string } } | undefined
    )?.incoming;
    const rawHeaders = incoming?.rawHeaders;
    const headers =
      rawHeaders === undefined
        ? {
            authorization: c.req.header('authorization'),
            actAssertion: c.req.header('x-act-assertion'),
            requestId: c.req.header('x-request-id'),
            traceparent: c.req.header('traceparent'),
          }
        : credentialHeadersFromRaw(rawHeaders);
    const respond = (decision: Decision): Promise<Response | undefined> => {
      if (decision.allow) {
        c.set('dualAuth', decision);
        return next().then(() => undefined);
      }
      const denial = denialResponse(decision, options.realm);
      return Promise.resolve(c.json(denial.body, denial.status, denial.headers));
    };
    const url = incoming?.url;
    const query = url?.indexOf('?') ?? -1;
    const decision = decide(
      {
        ...headers,
        method: incoming?.method ?? c.req.method,
        path: url === undefined ? c.req.path : query < 0 ? url : url.slice(0, query),
      },
      requirements,
    );
    return decision instanceof Promise ? decision.then(respond) : respond(decision);
  };
}

export type { MiddlewareOptions } from './internal/denial-response.ts';
