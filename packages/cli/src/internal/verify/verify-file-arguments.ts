import { readFile } from 'node:fs/promises';
import type { VerifierOptions } from '@dual-auth/verifier';
import { exitCodes } from '../../exit-codes.ts';
import { CliExit, type CommandContext, resolvePath } from '../command-context.ts';

/** The text of a file named on the command line or in the configuration; exit 3 when it cannot be read. */
export async function readFileArgument(context: CommandContext, path: string, what: string): Promise<string> {
  try {
    return await readFile(resolvePath(context, path), 'utf8');
  } catch (error) {
    throw new CliExit(
      exitCodes.input,
      `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code}`,
    );
  }
}

/**
 * A key file's text as the verifier takes it: a JSON JWKS (or JWK) or PEM text. A file that is
 * neither is refused naming the setting only: JSON.parse's own message quotes the text, which may be
 * key material.
 */
export function parseKeyText(text: string, what: string): NonNullable<VerifierOptions['keys']> {
  if (!text.trimStart().startsWith('{')) return text;
  try {
    return JSON.parse(text) as { keys: object[] };
  } catch {
    throw new CliExit(exitCodes.input, `${what} is not a PEM key or a JSON JWKS`);
  }
}
