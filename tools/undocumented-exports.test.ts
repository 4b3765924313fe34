import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DocumentationGap, sourceEntries, undocumentedExports } from './undocumented-exports.ts';

const packagesDirectory = fileURLToPath(new URL('../packages/', import.meta.url));
const packages = readdirSync(packagesDirectory).sort();

describe('every public export has TSDoc with a summary and an @example', () => {
  // One program for every package: parsing the dependencies' type declarations once is most of the cost.
  let gaps: DocumentationGap[] = [];
  beforeAll(() => {
    gaps = undocumentedExports(packages.flatMap((name) => sourceEntries(`${packagesDirectory}${name}`)));
  }, 120_000);

  it.each(packages)('%s', (name) => {
    const ofPackage = gaps.filter((gap) => gap.entry.startsWith(`${packagesDirectory}${name}/`));
    expect(ofPackage.map((gap) => `${gap.name}: no ${gap.missing}`)).toEqual([]);
  });
});
