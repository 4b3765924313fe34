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

/**
 * Credentials a framework binding has read from its request: header values as the server received
 * them and the path without its query. The verifier takes them as they are, where a caller's plain
 * object is copied and checked field by field: on a cached decision that copy was a tenth of the
 * middleware's cost. Internal: only the bindings build one.
 */
export class BindingCredentials implements RequestCredentials {
  authorization: string | undefined;
  actAssertion: string | undefined;
  requestId: string | undefined;
  traceparent: string | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;

  constructor(method: string | undefined, path: string | undefined) {
    // Every field assigned here, in one order: all instances share one shape.
    this.authorization = undefined;
    this.actAssertion = undefined;
    this.requestId = undefined;
    this.traceparent = undefined;
    this.method = method;
    this.path = path;
  }
}

/** Reads the credentials of a `Request`, a `Headers` or a {@link VerifyRequestFields}. */
export function readRequestCredentials(input: Request | Headers | VerifyRequestFields): RequestCredentials {
  if (input instanceof BindingCredentials) return input;
  if (typeof Request !== 'undefined' && input instanceof Request) {
    return fromHeaders(input.headers, input.method, pathOf(input.url));
  }
  if (typeof Headers !== 'undefined' && input instanceof Headers)
    return fromHeaders(input, undefined, undefined);
  const fields = input as VerifyRequestFields;
  const path = text(fields.path);
  return {
    authorization: text(fields.authorization),
    actAssertion: text(fields.actAssertion),
    method: text(fields.method),
    path: path === undefined ? path : withoutQuery(path),
    requestId: text(fields.requestId),
    traceparent: text(fields.traceparent),
  };
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** A request target without its query string. */
export function withoutQuery(target: string): string {
  const query = target.indexOf('?');
  return query < 0 ? target : target.slice(0, query);
}

// What a header sent more than once reads as: a value no check accepts, so the request is refused.
const repeated = '\0repeated';

/** One header value of a Node request (`IncomingHttpHeaders` style): refuses repeated headers. */
export function singleHeader(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) return value.length === 1 ? value[0] : repeated;
  return value;
}

/**
 * The credentials in Node's `rawHeaders` (name, value, name, value…). Node builds
 * `request.headers` lazily from them, and that object costs more per request than the cached
 * decision itself. A header sent twice reads as malformed (and is refused).
 */
export function credentialsFromRawHeaders(
  rawHeaders: readonly string[],
  method: string | undefined,
  path: string | undefined,
): BindingCredentials {
  const found = new BindingCredentials(method, path);
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index] as string;
    // The names' lengths differ, so one comparison of lengths rules out nearly every other header.
    switch (name.length) {
      case 13:
        if (name.toLowerCase() === 'authorization')
          found.authorization = found.authorization === undefined ? rawHeaders[index + 1] : repeated;
        break;
      case actAssertionHeader.length:
        if (name.toLowerCase() === actAssertionHeader)
          found.actAssertion = found.actAssertion === undefined ? rawHeaders[index + 1] : repeated;
        break;
      case 12:
        if (name.toLowerCase() === 'x-request-id')
          found.requestId = found.requestId === undefined ? rawHeaders[index + 1] : repeated;
        break;
      case 11:
        if (name.toLowerCase() === 'traceparent')
          found.traceparent = found.traceparent === undefined ? rawHeaders[index + 1] : repeated;
        break;
      default:
    }
  }
  return found;
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
