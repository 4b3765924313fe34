import { type Clock, systemClock } from './clock.ts';
import { redact, redactText } from './redact.ts';

/**
 * Severity of a log entry.
 *
 * @example
 * ```ts
 * const logger = createJsonLinesLogger({ level: 'debug' satisfies LogLevel });
 * ```
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Structured data attached to a log entry.
 *
 * @example
 * ```ts
 * const fields: LogFields = { agentId: 'finance-agent', humanId: act.sub };
 * ```
 */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Where dual-auth reports what it does. Silent by default ({@link silentLogger}); pass
 * {@link createJsonLinesLogger} or an adapter over your own logger (pino, winston…). dual-auth
 * never puts secrets, tokens, emails or names in a message or field, and the JSON-lines logger
 * redacts again on the way out.
 *
 * @example
 * ```ts
 * const logger: Logger = {
 *   debug: (message, fields) => pino.debug(fields, message),
 *   info: (message, fields) => pino.info(fields, message),
 *   warn: (message, fields) => pino.warn(fields, message),
 *   error: (message, fields) => pino.error(fields, message),
 * };
 * ```
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const ignore = (): void => {};

/**
 * A logger that discards everything: the default everywhere.
 *
 * @example
 * ```ts
 * const { logger = silentLogger } = options;
 * ```
 */
export const silentLogger: Logger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
});

const severity: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Options of {@link createJsonLinesLogger}.
 *
 * @example
 * ```ts
 * const logger = createJsonLinesLogger({ level: 'warn', write: (line) => logStream.write(line) });
 * ```
 */
export interface JsonLinesLoggerOptions {
  /** Receives one JSON line (with trailing newline) per entry. Default: standard error. */
  readonly write?: (line: string) => void;
  /** Lowest level written (default `info`). */
  readonly level?: LogLevel;
  readonly clock?: Clock;
}

/**
 * A logger writing one JSON object per line: `{"time","level","msg",...fields}`, with every field
 * passed through {@link redact}.
 *
 * @example
 * ```ts
 * const logger = createJsonLinesLogger({ level: 'debug' });
 * logger.info('token issued', { agentId: 'finance-agent', expiresIn: 300 });
 * ```
 */
export function createJsonLinesLogger(options: JsonLinesLoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const threshold = severity[options.level ?? 'info'];
  if (threshold === undefined) throw new TypeError('level must be debug, info, warn or error');
  const clock = options.clock ?? systemClock;
  const entry =
    (level: LogLevel) =>
    (message: string, fields: LogFields = {}): void => {
      if (severity[level] < threshold) return;
      const safeFields = redact(fields) as Record<string, unknown>;
      const line = { ...safeFields, time: new Date(clock()).toISOString(), level, msg: redactText(message) };
      write(`${JSON.stringify(line)}\n`);
    };
  return Object.freeze({
    debug: entry('debug'),
    info: entry('info'),
    warn: entry('warn'),
    error: entry('error'),
  });
}
