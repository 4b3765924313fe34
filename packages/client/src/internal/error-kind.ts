import { summarizeError } from '@dual-auth/core';

/** The error's code or class name, for a log line: a store error's message may name the key. */
export function errorKind(error: unknown): string {
  const summary = summarizeError(error);
  return summary.code ?? summary.name;
}
