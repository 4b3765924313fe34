import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'apps/*/vitest.config.ts',
      'apps/e2e/vitest.real-keycloak.config.ts',
      {
        test: {
          name: 'workspace-tools',
          include: ['tools/**/*.test.ts'],
          setupFiles: ['tools/loopback-only.ts'],
        },
      },
    ],
    reporters: ['default', './tools/vitest-summary-reporter.ts'],
  },
});
