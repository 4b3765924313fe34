import { definePackageProject } from '../../tools/vitest-project.ts';

// The live contract suite (`npm run test:live`, docs/live-tests.md): real tenants named by the
// DUAL_AUTH_LIVE_<VENDOR>_* variables. The only project whose network guard may open non-loopback
// hosts, and only those of the configured tenants (tools/loopback-only.ts). Only the root
// vitest.live.config.ts lists it, never vitest.config.ts (`npm test`).
export default definePackageProject(import.meta.url, {
  name: '@dual-auth/e2e-live',
  include: ['test/live/**/*.test.ts'],
  provide: { liveNetwork: true },
  testTimeout: 60_000,
  hookTimeout: 60_000,
});
