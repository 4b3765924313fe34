import type { SecretsBackend } from '@dual-auth/core';
import type { SecretsBackendHarness } from '../conformance/describe-secrets-backend.ts';

/**
 * What {@link emulatorHarness} needs of a secrets-service emulator (the AWS and GCP ones fit).
 *
 * @example
 * ```ts
 * const emulator: SecretsServiceEmulator = await startGcpSecretManagerEmulator();
 * ```
 */
export interface SecretsServiceEmulator {
  put(secretName: string, value: string): void;
  remove(secretName: string): void;
  deny(secretName: string): void;
  /** Makes the credentials clients hold stale. */
  rotateCredentials(): void;
  setFaults(faults: { readonly latencyMs?: number }): void;
  makeUnreachable(): Promise<void>;
  readonly readCount: number;
  close(): Promise<void>;
}

/**
 * Options of {@link emulatorHarness}.
 *
 * @example
 * ```ts
 * const harness = emulatorHarness(aws, backend, { slowLatencyMs: 3_000 });
 * ```
 */
export interface EmulatorHarnessOptions {
  /** Latency the emulator gets for the "too slow" case: more than the backend's timeout (default 5 s). */
  readonly slowLatencyMs?: number;
}

/**
 * The `describeSecretsBackend` harness of a backend reading an emulator: every setting key is
 * stored under the backend's own name for it, and every fault control is wired to the emulator
 * (deny, stale credentials, connection refused, latency, read counter).
 *
 * @example
 * ```ts
 * describeSecretsBackend('aws', async () => {
 *   const aws = await startAwsSecretsManagerEmulator();
 *   return emulatorHarness(aws, createAwsSecretsBackend({ clientConfig: { endpoint: aws.endpoint, credentials: aws.credentials }, timeoutMs: 1_000 }));
 * });
 * ```
 */
export function emulatorHarness(
  emulator: SecretsServiceEmulator,
  backend: SecretsBackend,
  options: EmulatorHarnessOptions = {},
): SecretsBackendHarness {
  const nameOf = (key: string) => backend.secretNameFor(key);
  return {
    backend,
    put: async (key, value) => emulator.put(nameOf(key), value),
    remove: async (key) => emulator.remove(nameOf(key)),
    deny: async (key) => emulator.deny(nameOf(key)),
    breakAuthentication: async () => emulator.rotateCredentials(),
    makeUnreachable: () => emulator.makeUnreachable(),
    makeSlow: async () => emulator.setFaults({ latencyMs: options.slowLatencyMs ?? 5_000 }),
    readCount: () => emulator.readCount,
    close: () => emulator.close(),
  };
}
