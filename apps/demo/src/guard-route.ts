import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AllowDecision, Decision, Verifier, VerifyRequirements } from '@dual-auth/verifier';
import { type ExpressRequestLike, requireDualAuth } from '@dual-auth/verifier/express';

/** `realm` of the finance API's `WWW-Authenticate` challenges. */
export const FINANCE_API_REALM = 'finance-api';

/**
 * Guards one request of a plain `node:http` server with the verifier's Express binding, whose
 * request and response contract a Node request meets with a few lines: resolves the allow
 * decision, or answers the denial itself (401/403/503 with the binding's `WWW-Authenticate`
 * challenge and `{error, error_description}`, plus the audit event id and the per-subject
 * verdicts the demo shows) and resolves `undefined`.
 */
export function guardRoute(
  verifier: Verifier,
  requirements: VerifyRequirements,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<AllowDecision | undefined> {
  let decided: Decision | undefined;
  // The binding answers a denial without handing it over; this keeps it for the audit event id.
  const keepingDecision: Verifier = {
    verify: (input, wanted) =>
      verifier.verify(input, wanted).then((decision) => {
        decided = decision;
        return decision;
      }),
  };
  const expressRequest: ExpressRequestLike = {
    headers: request.headers,
    rawHeaders: request.rawHeaders,
    method: request.method ?? 'GET',
    url: request.url ?? '/',
  };
  return new Promise((resolve, reject) => {
    requireDualAuth(keepingDecision, requirements, { realm: FINANCE_API_REALM })(
      expressRequest,
      {
        status: (code) => {
          response.statusCode = code;
        },
        set: (headers) => {
          for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
        },
        json: (body) => {
          const denial = decided?.allow === false ? decided : undefined;
          response.setHeader('content-type', 'application/json');
          if (denial) response.setHeader('x-audit-event-id', denial.auditEventId);
          response.end(
            JSON.stringify({
              ...(body as object),
              ...(denial ? { auditEventId: denial.auditEventId, subjects: denial.subjects } : {}),
            }),
          );
          resolve(undefined);
        },
      },
      (error) => (error === undefined ? resolve(expressRequest.dualAuth) : reject(error)),
    );
  });
}
