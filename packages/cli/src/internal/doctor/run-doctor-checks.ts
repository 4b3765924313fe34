import type { CheckLine, CheckOutcome, DoctorCheck, NotRunReport } from './doctor-check.ts';

/** A check that did not run, and the first of its needs no earlier check (or input) provided. */
export interface NotRunCheck<Facts> {
  readonly id: string;
  readonly missing: keyof Facts;
}

/** What a run of the checks found: the checklist's lines, the checks not run, the facts gathered. */
export interface DoctorRun<Facts> {
  readonly lines: readonly CheckLine[];
  readonly notRun: readonly NotRunCheck<Facts>[];
  readonly facts: Readonly<Partial<Facts>>;
}

/**
 * Throws a `TypeError` when a check needs a fact that neither the inputs nor an earlier check
 * provides: such a check could never run, a mistake in the list rather than in the setup.
 *
 * @example
 * assertChecksInOrder([configCheck, discoveryCheck], []); // discovery needs config: fine
 */
export function assertChecksInOrder<Facts>(
  checks: readonly DoctorCheck<Facts, keyof Facts, never>[],
  inputs: readonly (keyof Facts)[],
): void {
  const known = new Set<keyof Facts>(inputs);
  for (const check of checks) {
    for (const need of check.needs)
      if (!known.has(need))
        throw new TypeError(
          `doctor check ${check.id} needs ${String(need)}, which no earlier check provides`,
        );
    for (const fact of check.provides) known.add(fact);
  }
}

function lineOf(
  id: string,
  title: string,
  report: NotRunReport | CheckOutcome<unknown>,
): CheckLine | undefined {
  if (report.status === 'silent') return undefined;
  const { status, detail } = report;
  const fault = report.status === 'fail' ? { fault: report.fault } : {};
  const fix = 'fix' in report && report.fix !== undefined ? { fix: report.fix } : {};
  return { id, title, status, detail, ...fault, ...fix };
}

/**
 * Runs the checks in order. A check whose needs are all known runs, and what it provides is known
 * to the checks after it; a check missing a need does not run, and is shown as its `whenNotRun`
 * says for the first missing need (or not at all). Each line goes to `onLine` as it is decided,
 * so a terminal sees progress. A check that throws ends the run: that is a bug, not a finding.
 *
 * @example
 * const run = await runDoctorChecks(doctorChecks, { testHuman: 'alice' }, input, (line) => print(line));
 * run.notRun; // [{ id: 'token', missing: 'adapter' }, …]
 */
export async function runDoctorChecks<Facts, Input>(
  checks: readonly DoctorCheck<Facts, keyof Facts, Input>[],
  inputs: Readonly<Partial<Facts>>,
  input: Input,
  onLine: (line: CheckLine) => void = () => {},
): Promise<DoctorRun<Facts>> {
  const facts: Partial<Facts> = { ...inputs };
  const lines: CheckLine[] = [];
  const notRun: NotRunCheck<Facts>[] = [];
  const show = (line: CheckLine | undefined) => {
    if (line === undefined) return;
    lines.push(line);
    onLine(line);
  };
  for (const check of checks) {
    const title = typeof check.title === 'string' ? check.title : check.title(facts);
    const missing = check.needs.find((need) => facts[need] === undefined);
    if (missing !== undefined) {
      notRun.push({ id: check.id, missing });
      const report = check.whenNotRun?.(missing);
      show(report === undefined ? undefined : lineOf(check.id, title, report));
      continue;
    }
    const outcome = await check.run(facts as Parameters<typeof check.run>[0], input);
    if (outcome.provides !== undefined) {
      for (const fact of Object.keys(outcome.provides) as (keyof Facts)[]) {
        if (!check.provides.includes(fact))
          throw new TypeError(`doctor check ${check.id} provided ${String(fact)}, which it does not declare`);
      }
      Object.assign(facts, outcome.provides);
    }
    show(lineOf(check.id, title, outcome));
  }
  return { lines, notRun, facts };
}
