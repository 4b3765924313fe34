import { defineConfig } from 'vitest/config';

// The live contract suite alone (`npm run test:live`, docs/live-tests.md). It is not a project of
// vitest.config.ts, so `npm test` never reaches a real tenant, whatever the environment holds.
export default defineConfig({
  test: {
    projects: ['apps/e2e/vitest.live.config.ts'],
    reporters: ['default', './tools/vitest-summary-reporter.ts'],
  },
});
