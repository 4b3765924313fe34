/**
 * The wait a `Retry-After` header asks for, ms: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * `undefined` when absent or unreadable; never negative.
 */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d{1,10}$/.test(value)) return Number(value) * 1000;
  if (value.length > 64) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
