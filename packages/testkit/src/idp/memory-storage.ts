interface StoredEntry {
  readonly payload: Record<string, unknown>;
  readonly expiresAt: number;
}

/**
 * oidc-provider's storage, in memory, keeping every entry until it expires. (The built-in adapter
 * is an LRU that forgets used assertion `jti`s under load, which would accept replays.)
 */
export class MemoryStorage {
  readonly #entries = new Map<string, StoredEntry>();
  #writesSinceSweep = 0;

  get(key: string): Record<string, unknown> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(key: string, payload: Record<string, unknown>, expiresInSeconds: number | undefined): void {
    const lifetime = expiresInSeconds === undefined ? 24 * 3600 : expiresInSeconds;
    this.#entries.set(key, { payload, expiresAt: Date.now() + lifetime * 1000 });
    if (++this.#writesSinceSweep >= 1_000) this.sweep();
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  sweep(): void {
    this.#writesSinceSweep = 0;
    const now = Date.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}
