import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
const changesetDirectory = `${root}.changeset/`;
const publishedPackages = new Set(
  readdirSync(`${root}packages`).map(
    (folder) =>
      (JSON.parse(readFileSync(`${root}packages/${folder}/package.json`, 'utf8')) as { name: string }).name,
  ),
);
const changesets = readdirSync(changesetDirectory).filter(
  (file) => file.endsWith('.md') && file !== 'README.md',
);

describe('pending changesets', () => {
  it.each(changesets)('%s has front matter the changesets CLI reads, naming published packages', (file) => {
    const text = readFileSync(`${changesetDirectory}${file}`, 'utf8');
    const match = /^---\n((?:"[^"\n]+": (?:major|minor|patch)\n)+)---\n\n(\S[\s\S]*)$/.exec(text);
    expect(
      match,
      'front matter: ---, one "package": bump line each, ---, a blank line, the text',
    ).not.toBeNull();
    const names = [...(match?.[1] ?? '').matchAll(/"([^"]+)"/g)].map((found) => found[1]);
    for (const name of names) expect(publishedPackages, `${name} is not a package`).toContain(name);
  });
});
