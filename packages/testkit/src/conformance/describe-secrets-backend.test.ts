import { type SecretsBackend, SecretsBackendError } from '@dual-auth/core';
import { describeSecretsBackend } from './describe-secrets-backend.ts';

// A complete in-memory service with every fault the suite can provoke, so that every branch of the
// suite itself runs here (real backends exercise only the faults their service has).
function createFaultyService() {
  const store = new Map<string, string>();
  const denied = new Set<string>();
  const state = { reads: 0, authenticated: true, reachable: true, slow: false };
  const cache = new Map<string, Promise<string | undefined>>();
  const nameFor = (key: string) => `memory/${key}`;
  const fail = (key: string, why: string) =>
    new SecretsBackendError(`memory backend: ${why} for ${nameFor(key)}`, {
      backend: 'memory',
      secretName: nameFor(key),
    });
  const read = async (key: string): Promise<string | undefined> => {
    if (!state.reachable) throw fail(key, 'service unreachable');
    if (state.slow) throw fail(key, 'timed out');
    if (!state.authenticated) throw fail(key, 'authentication failed');
    if (denied.has(key)) throw fail(key, 'access denied');
    state.reads++;
    return store.get(key);
  };
  const backend: SecretsBackend = {
    name: 'memory',
    getSecret(key) {
      let pending = cache.get(key);
      if (pending === undefined) {
        pending = read(key);
        cache.set(key, pending);
        pending.catch(() => cache.delete(key));
      }
      return pending;
    },
    secretNameFor: nameFor,
    refresh: () => cache.clear(),
  };
  return { backend, store, denied, state };
}

describeSecretsBackend('memory', async () => {
  const service = createFaultyService();
  return {
    backend: service.backend,
    put: async (key, value) => {
      service.store.set(key, value);
      service.backend.refresh?.();
    },
    remove: async (key) => {
      service.store.delete(key);
    },
    deny: async (key) => {
      service.denied.add(key);
      service.backend.refresh?.();
    },
    breakAuthentication: async () => {
      service.state.authenticated = false;
      service.backend.refresh?.();
    },
    makeUnreachable: async () => {
      service.state.reachable = false;
    },
    makeSlow: async () => {
      service.state.slow = true;
    },
    readCount: () => service.state.reads,
  };
});
