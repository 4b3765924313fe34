import type { TokenResponse } from '@dual-auth/core';
import { type CommandContext, resolvePath } from './command-context.ts';
import { type Checklist, errorText } from './doctor-checklist.ts';
import { writePrivateFile } from './write-private-file.ts';

/** doctor `--save-token`: the token (and in hybrid mode the act assertion) for inspect and verify, mode 0600. */
export async function saveToken(
  checks: Checklist,
  context: CommandContext,
  path: string,
  tokenResponse: TokenResponse,
): Promise<void> {
  const title = 'token saved (--save-token)';
  const files: [string, string][] = [[resolvePath(context, path), tokenResponse.accessToken]];
  if (tokenResponse.actAssertion !== undefined)
    files.push([`${resolvePath(context, path)}.act-assertion`, tokenResponse.actAssertion]);
  try {
    for (const [file, text] of files) await writePrivateFile(file, `${text}\n`, true);
    checks.pass('save-token', title, `${files.map(([file]) => file).join(' and ')} (mode 600)`);
  } catch (error) {
    checks.warn(
      'save-token',
      title,
      `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? errorText(error)}`,
      'choose a writable path',
    );
  }
}
