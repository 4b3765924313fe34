import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

// Workspace packages are imported from their TypeScript sources through the `dev-source` export
// condition, so tests and type-checks never need a prior build. No `module` condition: Node does not
// know it, and some packages (the AWS SDK) put bundler-only builds with extension-less imports there.
const sourceConditions = ['dev-source', 'node', 'development|production'];

/**
 * The vitest project of one workspace package, named after its package.json `name`.
 *
 * @example
 * // packages/core/vitest.config.ts
 * export default definePackageProject(import.meta.url);
 */
export function definePackageProject(configUrl: string, overrides: UserWorkspaceConfig['test'] = {}) {
  const manifest = JSON.parse(readFileSync(new URL('package.json', configUrl), 'utf8')) as { name: string };
  return defineProject({
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions } },
    test: {
      name: manifest.name,
      root: new URL('.', configUrl).pathname,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      setupFiles: [fileURLToPath(new URL('./loopback-only.ts', import.meta.url))],
      testTimeout: 20_000,
      ...overrides,
    },
  });
}
