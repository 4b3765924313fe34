import { afterEach } from 'vitest';

/** A store the suites may close after each test. */
export type Closable<T> = T & { close?: () => Promise<void> | void };

let counter = 0;

/** An id or key no other test (or earlier run against the same server) has used. */
export function uniqueName(label: string): string {
  return `conformance:${label}:${process.pid}:${Date.now()}:${counter++}`;
}

/**
 * Within a `describe`: returns `open()`, which creates a store for the running test, and closes
 * every store it created once that test ends.
 */
export function openPerTest<T>(createStore: () => T | Promise<T>): () => Promise<Closable<T>> {
  const opened: Array<Closable<T>> = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close?.();
  });
  return async () => {
    const store = (await createStore()) as Closable<T>;
    opened.push(store);
    return store;
  };
}
