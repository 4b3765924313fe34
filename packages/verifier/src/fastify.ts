import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Verifier } from './create-verifier.ts';
import type { AllowDecision, Decision } from './decision.ts';
import { decisionEntry } from './internal/decide-now.ts';
import { denialResponse, type MiddlewareOptions } from './internal/denial-response.ts';
import {
  credentialsFromRawHeaders,
  type VerifyRequestFields,
  withoutQuery,
} from './internal/request-credentials.ts';
import type { VerifyRequirements } from './verifier-options.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The allow decision of `requireDualAuth` (declare it with `app.decorateRequest('dualAuth', null)`). */
    dualAuth: AllowDecision | null;
  }
}

/**
 * A Fastify `preHandler` hook enforcing dual-subject authorization on a route: it sets
 * `request.dualAuth` to the allow decision, or replies 401/403/503 with a `WWW-Authenticate`
 * challenge (RFC 6750) and a JSON `{error, error_description}` body. Declare the request property
 * once with `app.decorateRequest('dualAuth', null)`.
 *
 * @example
 * ```ts
 * import { requireDualAuth } from '@dual-auth/verifier/fastify';
 * app.decorateRequest('dualAuth', null);
 * app.get('/reports', { preHandler: requireDualAuth(verifier, { agentRoles: ['reports.read'] }) }, async (request) => {
 *   return { agent: request.dualAuth?.allow ? request.dualAuth.agent.id : undefined };
 * });
 * ```
 */
export function requireDualAuth(
  verifier: Verifier,
  requirements: VerifyRequirements = {},
  options: MiddlewareOptions = {},
): (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => void {
  const decide = decisionEntry<VerifyRequestFields, VerifyRequirements>(verifier);
  const { realm } = options;
  // Callback style: when the decision is at hand (cached token) no promise and no closure is made.
  return (request, reply, done) => {
    const decision = decide(
      credentialsFromRawHeaders(request.raw.rawHeaders, request.method, withoutQuery(request.url)),
      requirements,
    );
    if (decision instanceof Promise)
      decision.then((settled) => answer(settled, request, reply, done, realm), done);
    else answer(decision, request, reply, done, realm);
  };
}

function answer(
  decision: Decision,
  request: FastifyRequest,
  reply: FastifyReply,
  done: (error?: Error) => void,
  realm: string | undefined,
): void {
  if (decision.allow) {
    request.dualAuth = decision;
    done();
    return;
  }
  const denial = denialResponse(decision, realm);
  reply.code(denial.status).headers(denial.headers).send(denial.body);
}

export type { MiddlewareOptions } from './internal/denial-response.ts';
