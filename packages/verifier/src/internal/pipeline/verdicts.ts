import type { SubjectVerdict } from '../../decision.ts';

/** The verdict of a subject that passed every check that applies to it. */
export const authorized: SubjectVerdict = Object.freeze({ ok: true, reason: 'authorized' });

/** The verdict of a subject refused for `reason` (words, never a claim value). */
export function refused(reason: string): SubjectVerdict {
  return { ok: false, reason };
}
