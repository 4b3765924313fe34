import { resolvePath } from '../command-context.ts';
import { writePrivateFile } from '../write-private-file.ts';
import { errorText } from './doctor-check.ts';
import type { DoctorSetupCheck } from './doctor-facts.ts';

/** `save-token` (`--save-token FILE`): the token, and in hybrid mode the act assertion, mode 0600. */
export const saveTokenCheck: DoctorSetupCheck<'token'> = {
  id: 'save-token',
  title: 'token saved (--save-token)',
  needs: ['token'],
  provides: [],
  async run({ token }, { context, saveToken: path }) {
    if (path === undefined) return { status: 'silent' };
    const files: [string, string][] = [[resolvePath(context, path), token.accessToken]];
    if (token.actAssertion !== undefined)
      files.push([`${resolvePath(context, path)}.act-assertion`, token.actAssertion]);
    try {
      for (const [file, text] of files) await writePrivateFile(file, `${text}\n`, true);
      return { status: 'pass', detail: `${files.map(([file]) => file).join(' and ')} (mode 600)` };
    } catch (error) {
      return {
        status: 'warn',
        detail: `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? errorText(error)}`,
        fix: 'choose a writable path',
      };
    }
  },
};
