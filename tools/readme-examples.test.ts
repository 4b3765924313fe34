import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkReadmeExamples,
  type ExampleFinding,
  type ReadmeExample,
  readmePaths,
  typeScriptBlocks,
} from './readme-examples.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const maximumLines = 20;
const examples = readmePaths(root).flatMap((readme) =>
  typeScriptBlocks(readme, readFileSync(`${root}${readme}`, 'utf8')),
);

// Blocks that must fail, checked in the same program, so a checker that passes everything is caught.
const probe = (code: string): ReadmeExample => ({ readme: 'packages/client/PROBE.md', line: 1, code });
const probes = {
  environmentString: probe(
    "import { InSessionAPICall } from '@dual-auth/client';\n" +
      "declare const tokenResponse: import('@dual-auth/core').TokenResponse;\n" +
      "await new InSessionAPICall().callApi({ method: 'GET', url: process.env.API_URL, tokenResponse });\n",
  ),
  freeVariable: { ...probe('console.log(session.userId);\n'), line: 2 },
  missingExport: { ...probe("import { createVerifierr } from '@dual-auth/verifier';\n"), line: 3 },
  undefinedOptional: {
    ...probe(
      "import { createRedisTokenStore } from '@dual-auth/store-redis';\ncreateRedisTokenStore({ url: process.env.REDIS_URL });\n",
    ),
    line: 4,
  },
  lineCount: {
    ...probe("import { a } from 'a';\n\ndeclare const b: {\n  c: string;\n};\n// one\nconst d = 1;\n\n"),
    line: 5,
  },
};

describe('README examples', () => {
  // One program for every block: loading the packages' and their dependencies' types once is the cost.
  let findings = new Map<ReadmeExample, ExampleFinding>();
  beforeAll(() => {
    const checked = checkReadmeExamples(root, [...examples, ...Object.values(probes)]);
    findings = new Map(checked.map((finding) => [finding.example, finding]));
  }, 120_000);

  it('finds the blocks of every README', () => {
    expect(examples.length).toBeGreaterThan(20);
    expect(new Set(examples.map((example) => example.readme))).toContain('packages/verifier/README.md');
  });

  it('fails what strict TypeScript refuses, naming README line and diagnostic', () => {
    expect(findings.get(probes.environmentString)?.diagnostics).toEqual([
      expect.stringMatching(/^packages\/client\/PROBE\.md:4 \(block line 3\): TS2322 .*undefined/),
    ]);
    expect(findings.get(probes.freeVariable)?.diagnostics).toEqual([
      expect.stringContaining("TS2304 Cannot find name 'session'"),
    ]);
    expect(findings.get(probes.missingExport)?.diagnostics).toEqual([expect.stringContaining('TS2724')]);
    expect(findings.get(probes.undefinedOptional)?.diagnostics).toEqual([
      expect.stringContaining('exactOptionalPropertyTypes'),
    ]);
  });

  it('counts the non-blank lines outside imports and declarations', () => {
    expect(findings.get(probes.lineCount)?.countedLines).toBe(2);
  });

  const named = examples.map((example) => [`${example.readme}:${example.line}`, example] as const);

  it.each(named)('%s type-checks under tsconfig.base.json', (_, example) => {
    expect(findings.get(example)?.diagnostics).toEqual([]);
  });

  it.each(named)(
    `%s has at most ${maximumLines} non-blank lines besides imports and declarations`,
    (_, example) => {
      expect(findings.get(example)?.countedLines).toBeLessThanOrEqual(maximumLines);
    },
  );
});
