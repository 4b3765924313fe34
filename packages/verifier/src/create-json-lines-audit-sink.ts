import type { AuditSink } from '@dual-auth/core';

/**
 * Options of {@link createJsonLinesAuditSink}.
 *
 * @example
 * ```ts
 * createJsonLinesAuditSink({ write: (line) => stream.write(line) });
 * ```
 */
export interface JsonLinesAuditSinkOptions {
  /** Receives one JSON line (with trailing newline) per event. Default: standard output. */
  readonly write?: (line: string) => void;
}

/**
 * An {@link AuditSink} writing each AGBAC audit event as one JSON line, for log shippers.
 *
 * @example
 * ```ts
 * const audit = createJsonLinesAuditSink({ write: (line) => auditFile.write(line) });
 * const verifier = createVerifier({ ...options, audit });
 * ```
 */
export function createJsonLinesAuditSink(options: JsonLinesAuditSinkOptions = {}): AuditSink {
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  if (typeof write !== 'function') throw new TypeError('write must be a function');
  return (event) => write(`${JSON.stringify(event)}\n`);
}
