import type { BaseIssue } from 'valibot';

/**
 * The first valibot issue as `path: invalid <check> (expected …)`. valibot's own messages quote the
 * received value, which may be a secret or a token, so they are never used.
 */
export function describeIssues(issues: readonly [BaseIssue<unknown>, ...BaseIssue<unknown>[]]): string {
  const [issue] = issues;
  const path = issue.path?.map((segment) => String(segment.key)).join('.');
  if (path !== undefined && issue.received === 'undefined') return `${path}: is required`;
  const expectation = issue.expected === null ? '' : ` (expected ${issue.expected})`;
  return `${path ?? 'value'}: invalid ${issue.type}${expectation}`;
}
