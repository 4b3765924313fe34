import { REDACTED, Secret } from './secret.ts';

// Field names whose values are credentials or personal data, compared without case, `-` or `_`.
const sensitiveFieldNames: ReadonlySet<string> = new Set([
  'secret',
  'clientsecret',
  'password',
  'passphrase',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'assertion',
  'clientassertion',
  'actassertion',
  'xactassertion',
  'actjwt',
  'authorization',
  'cookie',
  'setcookie',
  'privatekey',
  'privatekeypem',
  'apikey',
  'vaulttoken',
  'secretid',
  'email',
  'useremail',
  'name',
  'username',
  'givenname',
  'familyname',
  'preferredusername',
  'upn',
]);

const jwtPattern = /\beyJ[\w-]*\.[\w-]*\.[\w-]*/g;
const emailPattern = /[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+/g;
const pemPattern = /-----BEGIN [A-Z ]+-----[\s\S]*?(?:-----END [A-Z ]+-----|$)/g;
const bearerPattern = /\b(Bearer|Basic|SSWS)\s+[\w.~+/=-]+/gi;

const maximumDepth = 8;

function isSensitiveField(name: string): boolean {
  return sensitiveFieldNames.has(name.toLowerCase().replace(/[-_]/g, ''));
}

/**
 * Removes JWTs, PEM keys, credentials after `Bearer`/`Basic`, and email addresses from free text.
 *
 * @example
 * ```ts
 * redactText('login failed for alice@example.com'); // 'login failed for [REDACTED:email]'
 * ```
 */
export function redactText(text: string): string {
  return text
    .replace(pemPattern, '[REDACTED:key]')
    .replace(jwtPattern, '[REDACTED:jwt]')
    .replace(bearerPattern, '$1 [REDACTED]')
    .replace(emailPattern, '[REDACTED:email]');
}

/**
 * A copy of `value` that is safe to log: {@link Secret}s and the values of sensitive fields
 * (secrets, tokens, assertions, keys, authorization headers, emails, names) become `[REDACTED]`,
 * and JWTs, PEM keys and email addresses inside any string are masked. Cycles and depth are bounded.
 *
 * @example
 * ```ts
 * logger.info('token request', redact({ clientId, clientSecret, act }));
 * // { clientId: 'finance-agent', clientSecret: '[REDACTED]', act: { sub: 'u-1', email: '[REDACTED]' } }
 * ```
 */
export function redact(value: unknown): unknown {
  return redactValue(value, 0, new WeakSet());
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  }
  if (value instanceof Secret) return REDACTED;
  if (seen.has(value)) return '[Circular]';
  if (depth >= maximumDepth) return '[Truncated]';
  seen.add(value);
  if (value instanceof Error) return redactError(value, depth, seen);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof URL) return redactText(`${value.origin}${value.pathname}`);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === '__proto__') continue;
    copy[key] = isSensitiveField(key) && field !== undefined ? REDACTED : redactValue(field, depth + 1, seen);
  }
  return copy;
}

function redactError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const summary: Record<string, unknown> = { name: error.name, message: redactText(error.message) };
  if ('code' in error) summary.code = redactValue((error as { code: unknown }).code, depth + 1, seen);
  if (error.cause !== undefined) summary.cause = redactValue(error.cause, depth + 1, seen);
  return summary;
}
