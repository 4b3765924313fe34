import type { MemoryStorage } from './memory-storage.ts';

type Payload = Record<string, unknown>;

/**
 * The oidc-provider storage adapter class of one profile: its artefacts in the shared
 * `MemoryStorage` under `{prefix}:{model}:{id}` (kept until they expire, unlike oidc-provider's
 * LRU), and clients answered by `findClient` from the fixture instead of stored.
 */
export function providerStorageAdapter(
  prefix: string,
  storage: MemoryStorage,
  findClient: (clientId: string) => Payload | undefined,
) {
  return class StorageAdapter {
    readonly #name: string;
    constructor(name: string) {
      this.#name = name;
    }
    #key(id: string): string {
      return `${prefix}:${this.#name}:${id}`;
    }
    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      storage.set(this.#key(id), payload, expiresIn);
      if (this.#name === 'Session' && typeof payload.uid === 'string') {
        storage.set(`${prefix}:SessionUid:${payload.uid}`, { id }, expiresIn);
      }
    }
    async find(id: string): Promise<Payload | undefined> {
      return this.#name === 'Client' ? findClient(id) : storage.get(this.#key(id));
    }
    async findByUserCode(): Promise<undefined> {
      return undefined;
    }
    async findByUid(uid: string): Promise<Payload | undefined> {
      const id = storage.get(`${prefix}:SessionUid:${uid}`)?.id;
      return typeof id === 'string' ? storage.get(this.#key(id)) : undefined;
    }
    async consume(id: string): Promise<void> {
      const payload = storage.get(this.#key(id));
      if (payload) storage.set(this.#key(id), { ...payload, consumed: Math.floor(Date.now() / 1000) }, 60);
    }
    async destroy(id: string): Promise<void> {
      storage.delete(this.#key(id));
    }
    async revokeByGrantId(): Promise<void> {}
  };
}
