import { fileURLToPath } from 'node:url';
import { definePackageProject } from '../../tools/vitest-project.ts';

export default definePackageProject(import.meta.url, {
  // A project of their own (vitest.real-keycloak.config.ts): they share one real Keycloak.
  // test/live: the live contract suite, a project of its own too (vitest.live.config.ts).
  exclude: ['test/real-keycloak/**', 'test/live/**', '**/node_modules/**'],
  env: {
    // gRPC reads its trusted roots once, when it loads: the testkit CA signs the GCP emulator's certificate.
    GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: fileURLToPath(
      new URL('../../packages/testkit/fixtures/tls/ca.pem', import.meta.url),
    ),
    // No cloud SDK may look for credentials or metadata services beyond what a test hands it.
    METADATA_SERVER_DETECTION: 'none',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  },
});
