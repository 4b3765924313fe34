import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.ts';

// The cut the README states ("What lives where"): the root is the contract; code that does one
// party's job lives on a subpath. Each name has one home.
const subpaths = ['config', 'oauth', 'logging', 'jose'] as const;

/** Every name an entry file re-exports, types included (the entries are explicit named re-exports). */
function exportedNames(entry: string): string[] {
  const path = new URL(`../src/${entry}`, import.meta.url);
  const source = ts.createSourceFile(entry, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
  return source.statements.flatMap((statement) =>
    ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)
      ? statement.exportClause.elements.map((element) => element.name.text)
      : [],
  );
}

// The root's functions: parsers and builders of the wire format and the cross-cutting rules every
// package applies the same way. A helper that reads configuration, talks to an IdP or writes logs
// belongs on a subpath instead; adding a function here is a decision the README must explain.
const contractFunctions = new Set([
  'parseAct',
  'accessTokenHash',
  'createDelegation',
  'parseDelegationClaim',
  'toDelegationClaim',
  'discloseAct',
  'isDualAuthError',
  'isVendor',
  'isSecretsBackendType',
  'checkUrlPolicy',
  'requireSecureUrl',
  'isLoopbackHost',
  'redact',
  'redactText',
  'summarizeError',
  'resolveTimeOptions',
  'createManualClock',
  'systemClock',
]);
const contractClasses = new Set(['Secret', 'TokenResponse']);

function isErrorClass(value: unknown): boolean {
  return typeof value === 'function' && value.prototype instanceof Error;
}

function isClass(value: unknown): boolean {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

describe("core's root exports the contract only", () => {
  const rootNames = exportedNames('index.ts');

  it.each(subpaths)('exports no name of @dual-auth/core/%s', (subpath) => {
    const moved = new Set(exportedNames(`${subpath}/index.ts`));
    expect(rootNames.filter((name) => moved.has(name))).toEqual([]);
  });

  it('exports as values only error classes, Secret, TokenResponse, constants and the contract functions', () => {
    const outside = Object.entries(root)
      .filter(([name, value]) => {
        if (isErrorClass(value) || contractClasses.has(name)) return false;
        if (isClass(value)) return true;
        return typeof value === 'function' && !contractFunctions.has(name);
      })
      .map(([name]) => name);
    expect(outside).toEqual([]);
  });

  it('keeps every contract function it names', () => {
    const values = root as Record<string, unknown>;
    expect([...contractFunctions].filter((name) => typeof values[name] !== 'function')).toEqual([]);
  });

  it.each(['getConfig', 'ClientCredentialsAdapter', 'postTokenRequest', 'createJsonLinesLogger'])(
    'no longer exports %s',
    (name) => {
      expect(name in root).toBe(false);
    },
  );
});
