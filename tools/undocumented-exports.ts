import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** One public export lacking what the house style requires of its TSDoc. */
export interface DocumentationGap {
  readonly entry: string;
  readonly name: string;
  readonly missing: 'summary' | 'example';
}

/** The `dev-source` entry files of a package's export map, by export path. */
export function sourceEntries(packageDirectory: string): string[] {
  const manifest = JSON.parse(readFileSync(`${packageDirectory}/package.json`, 'utf8')) as {
    exports?: Record<string, string | Record<string, string>>;
  };
  return Object.values(manifest.exports ?? {})
    .map((target) => (typeof target === 'object' ? target['dev-source'] : undefined))
    .filter((target): target is string => target !== undefined)
    .map((target) => `${packageDirectory}/${target.replace(/^\.\//, '')}`);
}

/** Lists every export of the entry files whose declaration has no TSDoc summary or no `@example`. */
export function undocumentedExports(entries: readonly string[]): DocumentationGap[] {
  const program = ts.createProgram([...entries], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    allowImportingTsExtensions: true,
    noEmit: true,
    customConditions: ['dev-source'],
    types: [],
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const gaps: DocumentationGap[] = [];
  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) continue;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = symbol.getDeclarations() ?? [];
      const documented = declarations.some(
        (declaration) =>
          symbol.getDocumentationComment(checker).length > 0 ||
          ts.getJSDocCommentsAndTags(declaration).length > 0,
      );
      const summary = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
      const hasExample = symbol.getJsDocTags(checker).some((tag) => tag.name === 'example');
      if (!documented || summary === '') gaps.push({ entry, name: exported.name, missing: 'summary' });
      else if (!hasExample) gaps.push({ entry, name: exported.name, missing: 'example' });
    }
  }
  return gaps;
}
