// The vendor guides (docs/iam/*.md) tell a newcomer which dual-auth commands check their IdP setup:
// every `npm run cli -- <command> …` they show names a command and options this CLI has.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.ts';
import { cli } from './harness.ts';

const guides = fileURLToPath(new URL('../../../docs/iam/', import.meta.url));
const checkoutCommand = /\bnpm (?:--prefix \S+ )?run (?:--silent )?cli -- ([a-z]+)([^#]*)/;

/** Each dual-auth invocation in a guide's sh and text blocks: the command and the options it passes. */
function invocations(markdown: string): { command: string; options: string[]; line: string }[] {
  const found: { command: string; options: string[]; line: string }[] = [];
  let inBlock = false;
  let pending = '';
  for (const line of markdown.split('\n')) {
    const fence = /^\s*```(\S*)/.exec(line);
    if (fence) {
      inBlock = !inBlock && ['sh', 'text'].includes(fence[1] ?? '');
      continue;
    }
    if (!inBlock) continue;
    pending += line.replace(/^\$ /, '');
    if (pending.endsWith('\\')) {
      pending = pending.slice(0, -1);
      continue;
    }
    const match = checkoutCommand.exec(pending);
    if (match)
      found.push({
        command: match[1] ?? '',
        options: [...(match[2] ?? '').matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map((option) => option[1] ?? ''),
        line: pending.trim(),
      });
    pending = '';
  }
  return found;
}

const guideFiles = readdirSync(guides).filter((name) => name.endsWith('.md'));

describe('the dual-auth commands the vendor guides show', () => {
  it('finds them, continuation lines joined', () => {
    expect(
      invocations('```sh\nnpm run cli -- doctor --dotenv .env \\\n  --human x # --not-this\n```\n').map(
        (invocation) => invocation.options,
      ),
    ).toEqual([['--dotenv', '--human']]);
  });

  it.each(guideFiles)('%s: commands and options the CLI has', async (guide) => {
    const shown = invocations(readFileSync(`${guides}${guide}`, 'utf8'));
    expect(shown.map((invocation) => invocation.command)).toContain('doctor');
    for (const { command, options, line } of shown) {
      const help = await cli([command, '--help']);
      expect(help.status, line).toBe(exitCodes.ok);
      for (const option of options)
        expect(help.stdout, `${line}: ${option}`).toMatch(new RegExp(`${option}(?![a-z-])`));
    }
  });
});
