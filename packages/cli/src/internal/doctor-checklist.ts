import type { CommandContext } from './command-context.ts';
import type { DoctorFault } from './diagnose-token-refusal.ts';

/** One line of doctor's checklist. */
export interface DoctorCheck {
  readonly id: string;
  readonly title: string;
  readonly status: 'pass' | 'warn' | 'fail' | 'skip';
  readonly detail: string;
  readonly fault?: DoctorFault;
  readonly fix?: string;
}

/** The message of anything thrown. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function renderCheck(check: DoctorCheck, context: CommandContext): string {
  const { style } = context;
  const mark = {
    pass: style.ok('✔'),
    warn: style.warn('!'),
    fail: style.fail('✘'),
    skip: style.dim('-'),
  }[check.status];
  const lines = [
    `${mark} ${check.title}: ${check.status === 'skip' ? style.dim(check.detail) : check.detail}`,
  ];
  if (check.fault !== undefined) lines.push(`    ${style.fail('fault')} ${check.fault}`);
  if (check.fix !== undefined) lines.push(`    ${style.bold('fix')}   ${check.fix}`);
  return `${lines.join('\n')}\n`;
}

/** doctor's checklist: each check recorded and, unless `--json`, printed as it completes. */
export class Checklist {
  readonly checks: DoctorCheck[] = [];
  readonly #context: CommandContext;
  readonly #live: boolean;
  constructor(context: CommandContext, live: boolean) {
    this.#context = context;
    this.#live = live;
  }
  add(check: DoctorCheck): DoctorCheck {
    this.checks.push(check);
    if (this.#live) this.#context.out.write(renderCheck(check, this.#context));
    return check;
  }
  pass(id: string, title: string, detail: string): void {
    this.add({ id, title, status: 'pass', detail });
  }
  warn(id: string, title: string, detail: string, fix?: string): void {
    this.add({ id, title, status: 'warn', detail, ...(fix === undefined ? {} : { fix }) });
  }
  fail(id: string, title: string, fault: DoctorFault, detail: string, fix: string): void {
    this.add({ id, title, status: 'fail', detail, fault, fix });
  }
  skip(id: string, title: string, detail: string, fix?: string): void {
    this.add({ id, title, status: 'skip', detail, ...(fix === undefined ? {} : { fix }) });
  }
  get failed(): boolean {
    return this.checks.some((check) => check.status === 'fail');
  }
}
