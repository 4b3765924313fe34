import type { AuditEvent, AuditSink } from '@dual-auth/core';
import { type Attributes, type Tracer, trace } from '@opentelemetry/api';

/**
 * Options of {@link createOpenTelemetryAuditSink}.
 *
 * @example
 * ```ts
 * const options: OpenTelemetryAuditSinkOptions = { tracer: trace.getTracer('finance-mcp'), next: auditLog };
 * ```
 */
export interface OpenTelemetryAuditSinkOptions {
  /** The tracer decisions are recorded with (default the global one, `@dual-auth/mcp`). */
  readonly tracer?: Tracer;
  /** Another sink every event is also handed to (a JSON-lines audit log, …). */
  readonly next?: AuditSink;
}

/**
 * Name of the span each decision is recorded as, and of the event added to the active span.
 *
 * @example
 * ```ts
 * const decisions = exporter.getFinishedSpans().filter((span) => span.name === DECISION_SPAN_NAME);
 * ```
 */
export const DECISION_SPAN_NAME = 'dual_auth.decision';

function attributesOf(event: AuditEvent): Attributes {
  // IAM ids and fixed texts only: an AuditEvent carries no token, email or name, and nothing else
  // is read from the request here.
  const attributes: Attributes = {
    'dual_auth.decision': event.decision,
    'dual_auth.reason': event.reason,
    'dual_auth.action': event.action,
    'dual_auth.resource': event.resource,
    'dual_auth.audit_event_id': event.id,
    'dual_auth.correlation_id': event.correlationId,
  };
  if (event.agentId !== undefined) attributes['dual_auth.agent.id'] = event.agentId;
  if (event.humanId !== undefined) attributes['dual_auth.human.id'] = event.humanId;
  if (event.denial !== undefined) attributes['dual_auth.denial'] = event.denial;
  if (event.delegationType !== undefined) attributes['dual_auth.delegation.type'] = event.delegationType;
  const { chain } = event.delegationContext;
  if (chain !== undefined) attributes['dual_auth.chain'] = [...chain];
  return attributes;
}

/**
 * An audit sink that records every AGBAC decision in OpenTelemetry: a `dual_auth.decision` span
 * (child of the active span, if any) and the same as an event on the active span, with the agent
 * id, the human's IAM id, the actor chain, the decision, the reason and the denial code — never a
 * token, an email or a name. With no tracer provider registered the spans are non-recording and
 * no attribute is built, nor the active span looked up. Give it as the verifier's (or `createMcpAuth`'s) `audit` option.
 *
 * @example
 * ```ts
 * import { createOpenTelemetryAuditSink } from '@dual-auth/mcp/otel';
 * const verifier = createVerifier({ ...options, audit: createOpenTelemetryAuditSink() });
 * ```
 */
export function createOpenTelemetryAuditSink(options: OpenTelemetryAuditSinkOptions = {}): AuditSink {
  const tracer = options.tracer ?? trace.getTracer('@dual-auth/mcp');
  const { next } = options;
  if (next !== undefined && typeof next !== 'function')
    throw new TypeError('createOpenTelemetryAuditSink: next must be an audit sink');
  return (event) => {
    const span = tracer.startSpan(DECISION_SPAN_NAME);
    // A non-recording span means nobody traces with this tracer: nothing more is built or looked up.
    if (span.isRecording()) {
      const attributes = attributesOf(event);
      span.setAttributes(attributes);
      const active = trace.getActiveSpan();
      if (active !== undefined && active !== span && active.isRecording())
        active.addEvent(DECISION_SPAN_NAME, attributes);
    }
    span.end();
    return next?.(event);
  };
}
