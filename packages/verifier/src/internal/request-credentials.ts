import { ACT_ASSERTION_HEADER } from '@dual-auth/core';

/** A request reduced to what the verifier reads from it. */
export interface RequestCredentials {
  readonly authorization: string | undefined;
  readonly actAssertion: string | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly requestId: string | undefined;
  readonly traceparent: string | undefined;
}

/**
 * The plain-object form of a request the verifier accepts (what middleware passes).
 *
 * @example
 * ```ts
 * await verifier.verify({ authorization, actAssertion, method: 'GET', path: '/reports' });
 * ```
 */
export interface VerifyRequestFields {
  /** The `Authorization` header value: `Bearer <token>`. */
  readonly authorization?: string | undefined;
  /** The `X-Act-Assertion` header value (hybrid layout). */
  readonly actAssertion?: string | undefined;
  readonly method?: string | undefined;
  /** The request path, without the query string. */
  readonly path?: string | undefined;
  /** `X-Request-Id`, used as the audit correlation id. */
  readonly requestId?: string | undefined;
  /** W3C `traceparent`; its trace id is the correlation id when there is no request id. */
  readonly traceparent?: string | undefined;
}

const actAssertionHeader = ACT_ASSERTION_HEADER.toLowerCase();

function fromHeaders(
  headers: Headers,
  method: string | undefined,
  path: string | undefined,
): RequestCredentials {
  return {
    authorization: headers.get('authorization') ?? undefined,
    actAssertion: headers.get(actAssertionHeader) ?? undefined,
    method,
    path,
    requestId: headers.get('x-request-id') ?? undefined,
    traceparent: headers.get('traceparent') ?? undefined,
  };
}

function pathOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

/** Reads the credentials of a `Request`, a `Headers` or a {@link VerifyRequestFields}. */
export function readRequestCredentials(input: Request | Headers | VerifyRequestFields): RequestCredentials {
  if (typeof Request !== 'undefined' && input instanceof Request) {
    return fromHeaders(input.headers, input.method, pathOf(input.url));
  }
  if (typeof Headers !== 'undefined' && input instanceof Headers)
    return fromHeaders(input, undefined, undefined);
  const fields = input as VerifyRequestFields;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const path = text(fields.path);
  const query = path?.indexOf('?') ?? -1;
  return {
    authorization: text(fields.authorization),
    actAssertion: text(fields.actAssertion),
    method: text(fields.method),
    path: path === undefined || query < 0 ? path : path.slice(0, query),
    requestId: text(fields.requestId),
    traceparent: text(fields.traceparent),
  };
}

const requestIdPattern = /^[A-Za-z0-9._:/+=-]{1,128}$/;
const traceparentPattern = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The audit correlation id: `X-Request-Id` if well-formed, else the `traceparent` trace id, else
 * `generated` (the audit event's own fresh id).
 */
export function correlationIdOf(credentials: RequestCredentials, generated: string): string {
  const { requestId, traceparent } = credentials;
  if (requestId !== undefined && requestIdPattern.test(requestId)) return requestId;
  if (traceparent !== undefined) {
    const traceId = traceparentPattern.exec(traceparent)?.[1];
    if (traceId !== undefined && traceId !== '00000000000000000000000000000000') return traceId;
  }
  return generated;
}
