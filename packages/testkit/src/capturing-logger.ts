import { inspect } from 'node:util';
import type { LogFields, Logger } from '@dual-auth/core';

/**
 * A logger that keeps every entry as one line of text: the level, the message, the fields as JSON
 * and as `inspect` shows them (10 levels deep). A test searches `lines` for what must never be
 * logged (a secret, a token) in any of the forms a log sink could print.
 *
 * @example
 * ```ts
 * const { logger, lines } = capturingLogger();
 * await new OktaAdapter(config, { logger }).requestToken(params).catch(() => undefined);
 * expect(lines.filter((line) => line.includes(subjectToken.reveal()))).toEqual([]);
 * ```
 */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const entry = (level: string) => (message: string, fields?: LogFields) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields) ?? ''} ${inspect(fields, { depth: 10 })}`);
  };
  return {
    lines,
    logger: { debug: entry('debug'), info: entry('info'), warn: entry('warn'), error: entry('error') },
  };
}
