import type { Verifier } from './create-verifier.ts';
import type { AllowDecision, Decision } from './decision.ts';
import { decisionEntry } from './internal/decide-now.ts';
import { denialResponse, type MiddlewareOptions } from './internal/denial-response.ts';
import {
  BindingCredentials,
  credentialsFromRawHeaders,
  singleHeader,
  type VerifyRequestFields,
  withoutQuery,
} from './internal/request-credentials.ts';
import type { VerifyRequirements } from './verifier-options.ts';

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
  const { realm } = options;
  // Nothing is allocated per request beyond the credentials: a cached decision is answered at
  // once, and only a decision that has to wait gets a closure to resume with.
  return (request, response, next) => {
    const decision = decide(credentialsOf(request), requirements);
    if (decision instanceof Promise)
      decision.then((settled) => answer(settled, request, response, next, realm), next);
    else answer(decision, request, response, next, realm);
  };
}

function credentialsOf(request: ExpressRequestLike): BindingCredentials {
  // `req.path` and `req.url` are relative to a mounted router's prefix; the audit trail needs the
  // path the client asked for.
  const path = withoutQuery(request.originalUrl ?? request.url ?? '');
  if (request.rawHeaders !== undefined)
    return credentialsFromRawHeaders(request.rawHeaders, request.method, path);
  const { headers } = request;
  const credentials = new BindingCredentials(request.method, path);
  credentials.authorization = singleHeader(headers.authorization);
  credentials.actAssertion = singleHeader(headers['x-act-assertion']);
  credentials.requestId = singleHeader(headers['x-request-id']);
  credentials.traceparent = singleHeader(headers.traceparent);
  return credentials;
}

function answer(
  decision: Decision,
  request: ExpressRequestLike,
  response: ExpressResponseLike,
  next: (error?: unknown) => void,
  realm: string | undefined,
): void {
  if (decision.allow) {
    request.dualAuth = decision;
    next();
    return;
  }
  const denial = denialResponse(decision, realm);
  response.status(denial.status);
  response.set(denial.headers);
  response.json(denial.body);
}

export type { MiddlewareOptions } from './internal/denial-response.ts';
