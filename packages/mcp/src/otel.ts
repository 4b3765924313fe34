export {
  createOpenTelemetryAuditSink,
  DECISION_SPAN_NAME,
  type OpenTelemetryAuditSinkOptions,
} from './create-open-telemetry-audit-sink.ts';
