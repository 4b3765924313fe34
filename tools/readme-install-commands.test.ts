import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readmePaths } from './readme-examples.ts';

// Nothing is on npm yet: a command fetching @dual-auth/* from the registry answers 404 today. Each
// one is marked for after the release, and its README points to the path that works from a checkout.
const root = fileURLToPath(new URL('../', import.meta.url));
const beforeReleaseSection = 'using-the-packages-before-release';
const registryCommand =
  /\b(?:npm (?:install|i|add)|pnpm add|yarn add)\b[^\n#]*@dual-auth\/|\bnpx (?:@dual-auth\/|dual-auth(?=\s|$))/;

/** The vendor guides (docs/iam/*.md): they show the commands that check an IdP setup. */
function vendorGuidePaths(): string[] {
  return readdirSync(`${root}docs/iam`)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/iam/${name}`);
}

/** The lines of a README's shell blocks that fetch a dual-auth package from the npm registry. */
function registryCommandLines(markdown: string): string[] {
  let inShellBlock = false;
  return markdown.split('\n').filter((line) => {
    const fence = /^\s*```(\S*)/.exec(line);
    if (fence) {
      inShellBlock = !inShellBlock && ['sh', 'shell', 'bash', 'console'].includes(fence[1] ?? '');
      return false;
    }
    return inShellBlock && registryCommand.test(line);
  });
}

describe('install commands in READMEs', () => {
  it('recognises the commands that would fetch from npm', () => {
    expect(
      registryCommandLines(
        '```sh\nnpm install @dual-auth/core\nnpx dual-auth doctor\nnpx @dual-auth/cli\nnpm install left-pad\n' +
          'pnpm --filter @dual-auth/core build\nnode_modules/.bin/dual-auth-keycloak-jar\n```\n' +
          'prose: `npm install @dual-auth/core` answers 404\n```ts\n// npm install @dual-auth/core\n```',
      ),
    ).toHaveLength(3);
  });

  it('the root README says how to use the packages before the release', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    // The package READMEs link to this anchor: GitHub's slug of the heading must equal it.
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((match) =>
      (match[1] ?? '')
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    );
    expect(headings).toContain(beforeReleaseSection);
    expect(readme).toMatch(/pack --pack-destination/);
    expect(readme).toContain('npm run cli --');
  });

  it.each([...readmePaths(root), ...vendorGuidePaths()])(
    '%s marks registry installs "after release" and links the checkout path',
    (readme) => {
      const markdown = readFileSync(`${root}${readme}`, 'utf8');
      const lines = registryCommandLines(markdown);
      expect(lines.filter((line) => !/after release/.test(line))).toEqual([]);
      if (lines.length > 0 && readme !== 'README.md') {
        expect(markdown).toContain(`README.md#${beforeReleaseSection}`);
      }
    },
  );
});
