import type { SecretsBackend } from '@dual-auth/core';
import { expect, it } from 'vitest';
import { emulatorHarness, type SecretsServiceEmulator } from './emulator-harness.ts';

it('stores keys under the backend’s names and wires every fault control to the emulator', async () => {
  const calls: string[] = [];
  const emulator: SecretsServiceEmulator = {
    put: (name, value) => void calls.push(`put ${name}=${value}`),
    remove: (name) => void calls.push(`remove ${name}`),
    deny: (name) => void calls.push(`deny ${name}`),
    rotateCredentials: () => void calls.push('rotate'),
    setFaults: (faults) => void calls.push(`faults ${JSON.stringify(faults)}`),
    makeUnreachable: async () => void calls.push('unreachable'),
    readCount: 7,
    close: async () => void calls.push('close'),
  };
  const backend: SecretsBackend = {
    name: 'probe',
    getSecret: async () => undefined,
    secretNameFor: (key) => `probe/${key.toLowerCase()}`,
  };
  const harness = emulatorHarness(emulator, backend, { slowLatencyMs: 1_234 });
  expect(harness.backend).toBe(backend);
  await harness.put('AGENT_CLIENT_ID', 'value');
  await harness.remove('AGENT_CLIENT_ID');
  await harness.deny?.('API_SCOPE');
  await harness.breakAuthentication?.();
  await harness.makeSlow?.();
  await harness.makeUnreachable?.();
  await harness.close?.();
  expect(harness.readCount?.()).toBe(7);
  expect(calls).toEqual([
    'put probe/agent_client_id=value',
    'remove probe/agent_client_id',
    'deny probe/api_scope',
    'rotate',
    'faults {"latencyMs":1234}',
    'unreachable',
    'close',
  ]);
});
