import { inspect } from 'node:util';
import type { LogFields, Logger } from '@dual-auth/core';

/** A logger that keeps each line (message, JSON and `inspect` of its fields) in `lines`. */
export function captureLogger(lines: string[]): Logger {
  const capture = (message: string, fields?: LogFields) =>
    void lines.push(`${message} ${JSON.stringify(fields)} ${inspect(fields, { depth: 6 })}`);
  return { debug: capture, info: capture, warn: capture, error: capture };
}
