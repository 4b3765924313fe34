import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/** One ```ts block of a README, with where it starts. */
export interface ReadmeExample {
  /** The README's path relative to the repository root. */
  readonly readme: string;
  /** The 1-based line of the opening fence. */
  readonly line: number;
  readonly code: string;
}

/** What is wrong with one example: its TypeScript diagnostics, and its length past the limit. */
export interface ExampleFinding {
  readonly example: ReadmeExample;
  readonly diagnostics: string[];
  /** Lines that count against the limit: the non-blank ones outside `import` and `declare` statements. */
  readonly countedLines: number;
}

const openingFence = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\s*$/;

/** The README files whose examples are checked: the root one, the bench's, every package's and app's. */
export function readmePaths(root: string): string[] {
  const nested = ['packages', 'apps'].flatMap((folder) =>
    existsSync(join(root, folder))
      ? readdirSync(join(root, folder))
          .sort()
          .map((name) => join(folder, name, 'README.md'))
      : [],
  );
  return ['README.md', 'bench/README.md', ...nested].filter((path) => existsSync(join(root, path)));
}

/** Every ```ts / ```typescript fenced block of a Markdown text. */
export function typeScriptBlocks(readme: string, markdown: string): ReadmeExample[] {
  const lines = markdown.split('\n');
  const examples: ReadmeExample[] = [];
  for (let index = 0; index < lines.length; index++) {
    const opening = openingFence.exec(lines[index] ?? '');
    if (!opening) continue;
    const [, indent = '', fence = '```'] = opening;
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !(lines[end] ?? '').trim().startsWith(fence)) {
      body.push((lines[end] ?? '').replace(new RegExp(`^ {0,${indent.length}}`), ''));
      end++;
    }
    examples.push({ readme, line: index + 1, code: `${body.join('\n')}\n` });
    index = end;
  }
  return examples;
}

/** The compiler options of tsconfig.base.json, for checking without emitting. */
function projectCompilerOptions(root: string): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.base.json');
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, configPath);
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
  };
}

/** The virtual file an example is checked as: beside its README, so imports resolve as from there. */
function exampleFileName(root: string, example: ReadmeExample): string {
  return join(root, dirname(example.readme), `README.md.line-${example.line}.ts`);
}

/**
 * Non-blank lines of the example outside its `import` and `declare` statements: the setup a reader
 * skips (declarations only name what the surrounding application provides) does not count.
 */
function countedLines(source: ts.SourceFile): number {
  const setup = new Set<number>();
  for (const statement of source.statements) {
    const isDeclare = ts.canHaveModifiers(statement)
      ? (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.DeclareKeyword)
      : false;
    if (!ts.isImportDeclaration(statement) && !isDeclare) continue;
    const first = source.getLineAndCharacterOfPosition(statement.getStart(source)).line;
    const last = source.getLineAndCharacterOfPosition(statement.getEnd()).line;
    for (let line = first; line <= last; line++) setup.add(line);
  }
  const lines = source.text.replace(/\n$/, '').split('\n');
  return lines.filter((text, line) => !setup.has(line) && text.trim() !== '').length;
}

/**
 * Type-checks every example as its own module, in one program, under the project's compiler options.
 * Imports of `@dual-auth/*` resolve to the workspace package's sources (`dev-source` condition), as
 * they would for a user who installed that package; other imports resolve from the README's folder.
 */
export function checkReadmeExamples(root: string, examples: readonly ReadmeExample[]): ExampleFinding[] {
  const options = projectCompilerOptions(root);
  const virtualFiles = new Map(examples.map((example) => [exampleFileName(root, example), example]));
  const host = ts.createCompilerHost(options, true);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (fileName) => virtualFiles.get(fileName)?.code ?? readFile(fileName);
  host.fileExists = (fileName) => virtualFiles.has(fileName) || fileExists(fileName);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const example = virtualFiles.get(fileName);
    return example
      ? ts.createSourceFile(fileName, example.code, languageVersion, true)
      : getSourceFile(fileName, languageVersion, ...rest);
  };
  const workspacePackages = workspacePackageDirectories(root);
  const cache = ts.createModuleResolutionCache(root, (name) => name, options);
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, compilerOptions, file) =>
    literals.map((literal) => {
      const specifier = literal.text;
      const mode = ts.getModeForUsageLocation(file, literal, compilerOptions);
      const packageName = /^@dual-auth\/[^/]+/.exec(specifier)?.[0];
      const packageDirectory = packageName === undefined ? undefined : workspacePackages.get(packageName);
      // A package resolves its own name through its export map (self-reference), so the workspace
      // package is reached exactly as an installed one would be, export conditions included.
      const from = packageDirectory ? join(packageDirectory, 'package.json') : containingFile;
      return ts.resolveModuleName(specifier, from, compilerOptions, host, cache, redirected, mode);
    });
  const program = ts.createProgram({ rootNames: [...virtualFiles.keys()], options, host });
  return [...virtualFiles].map(([fileName, example]) => {
    const source = program.getSourceFile(fileName);
    if (!source) throw new Error(`${example.readme}:${example.line} was not compiled`);
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    return {
      example,
      countedLines: countedLines(source),
      diagnostics: diagnostics.map((diagnostic) => describeDiagnostic(example, diagnostic)),
    };
  });
}

/** `README.md:14 (block line 3): TS2345 Argument of type …`, with the README's own line number. */
function describeDiagnostic(example: ReadmeExample, diagnostic: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (!diagnostic.file || diagnostic.start === undefined) return `TS${diagnostic.code} ${message}`;
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${example.readme}:${example.line + 1 + line} (block line ${line + 1}): TS${diagnostic.code} ${message}`;
}

/** `@dual-auth/<name>` → its folder, for every package and app of the workspace. */
function workspacePackageDirectories(root: string): Map<string, string> {
  const directories = new Map<string, string>();
  for (const folder of ['packages', 'apps']) {
    if (!existsSync(join(root, folder))) continue;
    for (const name of readdirSync(join(root, folder))) {
      const manifestPath = join(root, folder, name, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: string };
      if (manifest.name) directories.set(manifest.name, dirname(manifestPath));
    }
  }
  return directories;
}
