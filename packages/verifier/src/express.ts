import type { Verifier, VerifyRequirements } from './create-verifier.ts';
import type { AllowDecision, Decision } from './decision.ts';
import { decisionEntry } from './internal/decide-now.ts';
import {
  credentialHeadersFromRaw,
  denialResponse,
  type MiddlewareOptions,
  singleHeader,
} from './internal/denial-response.ts';
import type { VerifyRequestFields } from './internal/request-credentials.ts';

declare global {
  // Express types its request through this global namespace: the middleware adds `dualAuth`.
  namespace Express {
    interface Request {
      /** The allow decision of `requireDualAuth`, set before the route handler runs. */
      dualAuth?: AllowDecision;
    }
  }
}

/**
 * The parts of an Express (4 or 5) request the middleware reads, and where it puts the decision.
 *
 * @example
 * ```ts
 * app.get('/r', requireDualAuth(verifier), (req: ExpressRequestLike, res) => res.json(req.dualAuth));
 * ```
 */
export interface ExpressRequestLike {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Node's header list, read in preference to `headers` (which Node builds lazily). */
  readonly rawHeaders?: readonly string[];
  readonly method: string;
  /** The full request target as received, also inside a mounted router (where `url` is relative). */
  readonly originalUrl?: string;
  readonly url?: string;
  /** The allow decision, set by {@link requireDualAuth} before the route runs. */
  dualAuth?: AllowDecision;
}

/**
 * The parts of an Express response the middleware uses to deny.
 *
 * @example
 * ```ts
 * const middleware = requireDualAuth(verifier); // (req, res: ExpressResponseLike, next) => void
 * ```
 */
export interface ExpressResponseLike {
  status(code: number): unknown;
  set(headers: Record<string, string>): unknown;
  json(body: unknown): unknown;
}

/**
 * Express middleware enforcing dual-subject authorization on a route: it verifies the request,
 * sets `req.dualAuth` to the allow decision, or answers 401/403/503 with a `WWW-Authenticate`
 * challenge (RFC 6750) and a JSON `{error, error_description}` body.
 *
 * @example
 * ```ts
 * import { requireDualAuth } from '@dual-auth/verifier/express';
 * app.get('/reports', requireDualAuth(verifier, { agentRoles: ['reports.read'] }), (req, res) => {
 *   res.json({ human: req.dualAuth?.allow ? req.dualAuth.human.id : undefined });
 * });
 * ```
 */
export function requireDualAuth(
  verifier: Verifier,
  requirements: VerifyRequirements = {},
  options: MiddlewareOptions = {},
): (request: ExpressRequestLike, response: ExpressResponseLike, next: (error?: unknown) => void) => void {
  const decide = decisionEntry<VerifyRequestFields, VerifyRequirements>(verifier);
  return (request, response, next) => {
    // `req.path` and `req.url` are relative to a mounted router's prefix; the audit trail needs the
    // path the client asked for.
    const url = request.originalUrl ?? request.url ?? '';
    const query = url.indexOf('?');
    const respond = (decision: Decision) => {
      if (decision.allow) {
        request.dualAuth = decision;
        next();
        return;
      }
      const denial = denialResponse(decision, options.realm);
      response.status(denial.status);
      response.set(denial.headers);
      response.json(denial.body);
    };
    const decision = decide(
      {
        ...(request.rawHeaders === undefined
          ? {
              authorization: singleHeader(request.headers.authorization),
              actAssertion: singleHeader(request.headers['x-act-assertion']),
              requestId: singleHeader(request.headers['x-request-id']),
              traceparent: singleHeader(request.headers.traceparent),
            }
          : credentialHeadersFromRaw(request.rawHeaders)),
        method: request.method,
        path: query < 0 ? url : url.slice(0, query),
      },
      requirements,
    );
    if (decision instanceof Promise) decision.then(respond, next);
    else respond(decision);
  };
}

export type { MiddlewareOptions } from './internal/denial-response.ts';
