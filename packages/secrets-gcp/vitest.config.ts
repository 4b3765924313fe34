import { fileURLToPath } from 'node:url';
import { definePackageProject } from '../../tools/vitest-project.ts';

export default definePackageProject(import.meta.url, {
  env: {
    // gRPC reads its trusted roots once, when it loads: the testkit CA signs the emulator's certificate.
    GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: fileURLToPath(
      new URL('../testkit/fixtures/tls/ca.pem', import.meta.url),
    ),
    // Never probe the GCE metadata server for credentials or a project.
    METADATA_SERVER_DETECTION: 'none',
  },
});
