import { REDACTED, redactText } from '@dual-auth/core';

/**
 * The human's `sub` as it may appear in a log. With the sender's `allowEmailAsSubjectFallback` the
 * `sub` is an email address, which must never be logged: anything email-like is masked.
 */
export function loggableSubject(sub: string): string {
  // Runs on every token request, cache hits included: IAM ids have no `@`, so skip the regex.
  if (!sub.includes('@')) return sub;
  const masked = redactText(sub);
  // redactText only knows full addresses; `alice@intranet` is still personal data.
  return masked === sub && sub.includes('@') ? REDACTED : masked;
}
