import { definePackageProject } from '../../tools/vitest-project.ts';

// The suites against a real Keycloak: one Keycloak for the whole folder (started by the global
// setup, ~40 s), so they live in their own project and other e2e runs never wait for it.
export default definePackageProject(import.meta.url, {
  name: '@dual-auth/e2e-real-keycloak',
  include: ['test/real-keycloak/**/*.test.ts'],
  globalSetup: ['test/real-keycloak/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
});
