import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.ts';
import { createCachingSecretsBackend } from './create-caching-secrets-backend.ts';
import { SecretsBackendError } from './errors.ts';

function createService(values: Record<string, string>) {
  const calls: string[] = [];
  return {
    calls,
    read: async (secretName: string) => {
      calls.push(secretName);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return values[secretName];
    },
  };
}

describe('createCachingSecretsBackend', () => {
  const nameFor = (key: string) => `prefix/${key}`;

  it('reads through the service by its naming convention and caches for the TTL', async () => {
    const clock = createManualClock(0);
    const service = createService({ 'prefix/A': 'one' });
    const backend = createCachingSecretsBackend({
      name: 'test',
      secretNameFor: nameFor,
      read: service.read,
      cacheTtlMs: 1_000,
      clock: clock.now,
    });
    await expect(backend.getSecret('A')).resolves.toBe('one');
    await expect(backend.getSecret('A')).resolves.toBe('one');
    expect(service.calls).toEqual(['prefix/A']);
    clock.advance(1_001);
    await backend.getSecret('A');
    expect(service.calls).toHaveLength(2);
  });

  it('shares one request among concurrent reads of a key, and refresh forces a new read', async () => {
    const service = createService({ 'prefix/A': 'one' });
    const backend = createCachingSecretsBackend({ name: 'test', secretNameFor: nameFor, read: service.read });
    const values = await Promise.all(Array.from({ length: 20 }, () => backend.getSecret('A')));
    expect(new Set(values)).toEqual(new Set(['one']));
    expect(service.calls).toHaveLength(1);
    await backend.refresh?.();
    await backend.getSecret('A');
    expect(service.calls).toHaveLength(2);
  });

  it('does not cache misses or failures', async () => {
    let attempts = 0;
    const backend = createCachingSecretsBackend({
      name: 'test',
      secretNameFor: nameFor,
      read: async () => {
        attempts++;
        if (attempts === 1) throw new Error('service hiccup');
        return attempts === 2 ? undefined : 'later';
      },
    });
    await expect(backend.getSecret('A')).rejects.toBeInstanceOf(SecretsBackendError);
    await expect(backend.getSecret('A')).resolves.toBeUndefined();
    await expect(backend.getSecret('A')).resolves.toBe('later');
  });

  it('wraps failures in a SecretsBackendError naming backend and secret, with the cause', async () => {
    const cause = Object.assign(new Error('AccessDeniedException'), { name: 'AccessDeniedException' });
    const backend = createCachingSecretsBackend({
      name: 'aws',
      secretNameFor: nameFor,
      read: async () => Promise.reject(cause),
    });
    const error = (await backend
      .getSecret('AGENT_CLIENT_SECRET')
      .catch((reason: unknown) => reason)) as SecretsBackendError;
    expect(error).toBeInstanceOf(SecretsBackendError);
    expect(error).toMatchObject({ backend: 'aws', secretName: 'prefix/AGENT_CLIENT_SECRET', cause });
    expect(error.message).toBe(
      'aws secrets backend: the read failed (AccessDeniedException) for "prefix/AGENT_CLIENT_SECRET".',
    );
  });

  it('passes a SecretsBackendError from the reader through unchanged', async () => {
    const original = new SecretsBackendError('denied', { backend: 'vault', secretName: 'x' });
    const backend = createCachingSecretsBackend({
      name: 'vault',
      secretNameFor: nameFor,
      read: async () => Promise.reject(original),
    });
    await expect(backend.getSecret('A')).rejects.toBe(original);
  });

  it('gives up after the timeout even when the service ignores the abort', async () => {
    const backend = createCachingSecretsBackend({
      name: 'slow',
      secretNameFor: nameFor,
      timeoutMs: 50,
      read: () => new Promise(() => {}),
    });
    const error = await backend.getSecret('A').catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(SecretsBackendError);
    expect((error as Error).message).toContain('no answer within 50 ms');
  });

  it('honours the caller abort signal', async () => {
    const backend = createCachingSecretsBackend({
      name: 'slow',
      secretNameFor: nameFor,
      read: () => new Promise(() => {}),
    });
    const controller = new AbortController();
    const read = backend.getSecret('A', { signal: controller.signal });
    controller.abort();
    await expect(read).rejects.toThrow('the read was aborted');
  });

  it('aborting one caller fails only that caller, not others sharing its read', async () => {
    let release: (value: string) => void = () => {};
    let calls = 0;
    const backend = createCachingSecretsBackend({
      name: 'shared',
      secretNameFor: nameFor,
      read: (_secretName, signal) =>
        new Promise((resolve, reject) => {
          calls++;
          release = resolve;
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
    });
    const first = new AbortController();
    const second = new AbortController();
    const readA = backend.getSecret('A', { signal: first.signal });
    const readB = backend.getSecret('A', { signal: second.signal });
    const readC = backend.getSecret('A');
    first.abort();
    await expect(readA).rejects.toThrow('the read was aborted');
    release('shared-value');
    await expect(readB).resolves.toBe('shared-value');
    await expect(readC).resolves.toBe('shared-value');
    expect(calls).toBe(1);
    second.abort();
    await expect(backend.getSecret('A', { signal: second.signal })).resolves.toBe('shared-value');
  });

  it('refuses at once for a caller whose signal is already aborted, leaving the shared read alone', async () => {
    let release: (value: string) => void = () => {};
    const backend = createCachingSecretsBackend({
      name: 'shared',
      secretNameFor: nameFor,
      read: () =>
        new Promise((resolve) => {
          release = resolve;
        }),
    });
    const readA = backend.getSecret('A');
    const readB = backend.getSecret('A', { signal: AbortSignal.abort() });
    await expect(readB).rejects.toBeInstanceOf(SecretsBackendError);
    release('value');
    await expect(readA).resolves.toBe('value');
  });

  it('holds values out of sight', async () => {
    const backend = createCachingSecretsBackend({
      name: 'test',
      secretNameFor: nameFor,
      read: async () => 'canary-cached-value',
    });
    await backend.getSecret('A');
    expect(JSON.stringify(backend)).not.toContain('canary');
    expect(inspect(backend, { showHidden: true, depth: 10 })).not.toContain('canary');
  });

  it('refuses nonsensical options', () => {
    const read = async () => undefined;
    expect(() =>
      createCachingSecretsBackend({ name: 'x', secretNameFor: nameFor, read, cacheTtlMs: -1 }),
    ).toThrow(TypeError);
    expect(() =>
      createCachingSecretsBackend({ name: 'x', secretNameFor: nameFor, read, timeoutMs: 0 }),
    ).toThrow(TypeError);
  });
});
