/** The tasks an agent can be asked to run, in the order the page lists them. */
export const FINANCE_TASKS = ['read-report', 'post-summary'] as const;

/** The agent's task: read the Q4 report, and for `post-summary` also post a summary of it. */
export type FinanceTask = (typeof FINANCE_TASKS)[number];

/** The 400 answer to a task that is not one of {@link FINANCE_TASKS}. */
export const UNKNOWN_TASK_ERROR = `unknown task: use one of ${FINANCE_TASKS.join(', ')}`;

/**
 * The task a request body names: `read-report` when it names none, `undefined` for anything that
 * is not a known task (an unknown task is refused, never run as another one).
 */
export function parseFinanceTask(value: unknown): FinanceTask | undefined {
  if (value === undefined) return 'read-report';
  return FINANCE_TASKS.find((task) => task === value);
}
