import { isDualAuthError, type SecretsBackend, type SecretsBackendError } from '@dual-auth/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * What a backend's test provides to {@link describeSecretsBackend}: the backend under test and
 * control over the real store behind it. Fault controls are given only by backends whose service
 * can fail that way; the matching cases run only when they are given.
 *
 * @example
 * ```ts
 * describeSecretsBackend('my-backend', async (): Promise<SecretsBackendHarness> => {
 *   const store = new Map<string, string>();
 *   return {
 *     backend: createMyBackend(store),
 *     put: async (key, value) => void store.set(key, value),
 *     remove: async (key) => void store.delete(key),
 *   };
 * });
 * ```
 */
export interface SecretsBackendHarness {
  readonly backend: SecretsBackend;
  /** Stores `value` for setting `key` in the service, under the backend's naming convention. */
  put(key: string, value: string): Promise<void>;
  /** Removes `key` from the service. */
  remove(key: string): Promise<void>;
  /** Makes reads of `key` fail with access denied. */
  deny?(key: string): Promise<void>;
  /** Makes the backend's authentication to the service fail. */
  breakAuthentication?(): Promise<void>;
  /** Makes the service unreachable (connection refused). */
  makeUnreachable?(): Promise<void>;
  /** Makes the service answer slower than the backend's timeout. */
  makeSlow?(): Promise<void>;
  /** Number of read requests the service has answered, for cache checks (backends that cache). */
  readCount?(): number;
  /** Frees everything the harness started. */
  close?(): Promise<void>;
  /**
   * Why the service cannot be made to fail in a way whose control is absent, as the skip reason
   * of that case (a generic reason otherwise): `{ makeSlow: 'moto has no latency control' }`.
   */
  readonly cannot?: Readonly<Partial<Record<SecretsBackendFaultControl, string>>>;
}

/**
 * The optional controls of a {@link SecretsBackendHarness}, each enabling one conformance case.
 *
 * @example
 * ```ts
 * const reasons: Partial<Record<SecretsBackendFaultControl, string>> = { makeSlow: 'no latency control' };
 * ```
 */
export type SecretsBackendFaultControl =
  | 'deny'
  | 'breakAuthentication'
  | 'makeUnreachable'
  | 'makeSlow'
  | 'readCount';

/**
 * Awaits a read that must fail, asserts that it rejected with a `SecretsBackendError` of
 * `backendName` (naming `secretName`, when given), and returns the error for further checks.
 *
 * @example
 * ```ts
 * const error = await expectSecretsBackendError(backend.getSecret('APP_ID'), 'vault', 'secret/data/dual-auth/app-id');
 * expect(error.message).toMatch(/access denied/);
 * ```
 */
export async function expectSecretsBackendError(
  promise: Promise<unknown>,
  backendName: string,
  secretName?: string,
): Promise<SecretsBackendError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, 'the read should have failed').toBeInstanceOf(Error);
  expect(isDualAuthError(error, 'ERR_SECRETS_BACKEND')).toBe(true);
  const backendError = error as SecretsBackendError;
  expect(backendError.backend).toBe(backendName);
  if (secretName !== undefined) expect(backendError.secretName).toBe(secretName);
  return backendError;
}

/**
 * The conformance suite every `SecretsBackend` runs: reads, missing keys, values that must survive
 * untouched, naming, concurrency, no leaks; and, where the harness can provoke them, denial,
 * authentication failure, unreachability, timeouts, caching and refresh.
 *
 * @example
 * ```ts
 * describeSecretsBackend('env', async () => {
 *   const environment: Record<string, string> = {};
 *   return {
 *     backend: createEnvSecretsBackend({ environment }),
 *     put: async (key, value) => { environment[key] = value; },
 *     remove: async (key) => { delete environment[key]; },
 *   };
 * });
 * ```
 */
export function describeSecretsBackend(
  name: string,
  createHarness: () => Promise<SecretsBackendHarness>,
): void {
  describe(`SecretsBackend conformance: ${name}`, () => {
    let harness: SecretsBackendHarness;

    beforeEach(async () => {
      harness = await createHarness();
    });

    afterEach(async () => {
      await harness.backend.close?.();
      await harness.close?.();
    });

    it('names itself', () => {
      expect(harness.backend.name).toBe(name);
    });

    it('reads a stored secret by its setting key', async () => {
      await harness.put('AGENT_CLIENT_ID', 'finance-agent');
      await expect(harness.backend.getSecret('AGENT_CLIENT_ID')).resolves.toBe('finance-agent');
    });

    it('resolves undefined for a key the service does not hold', async () => {
      await harness.put('AGENT_CLIENT_ID', 'finance-agent');
      await harness.remove('AGENT_CLIENT_ID');
      await harness.backend.refresh?.();
      await expect(harness.backend.getSecret('AGENT_CLIENT_ID')).resolves.toBeUndefined();
      await expect(harness.backend.getSecret('NEVER_CREATED_SETTING')).resolves.toBeUndefined();
    });

    it('returns values byte for byte: unicode, symbols, JSON, newlines, 32 KiB', async () => {
      const values = {
        AGENT_CLIENT_SECRET: 'päss wörd ✓ $HOME `x` "q" \\ %41',
        API_AUDIENCE: JSON.stringify({ nested: { list: [1, 2, 3] } }),
        APP_ID: 'line one\nline two',
        API_SCOPE: 'x'.repeat(32 * 1024),
      };
      for (const [key, value] of Object.entries(values)) await harness.put(key, value);
      for (const [key, value] of Object.entries(values)) {
        await expect(harness.backend.getSecret(key)).resolves.toBe(value);
      }
    });

    it('keeps keys apart', async () => {
      await harness.put('AGENT_CLIENT_ID', 'one');
      await harness.put('AGENT_CLIENT_SECRET', 'two');
      const [id, secret] = await Promise.all([
        harness.backend.getSecret('AGENT_CLIENT_ID'),
        harness.backend.getSecret('AGENT_CLIENT_SECRET'),
      ]);
      expect([id, secret]).toEqual(['one', 'two']);
    });

    it('answers many concurrent reads consistently', async () => {
      await harness.put('AGENT_CLIENT_ID', 'finance-agent');
      const reads = await Promise.all(
        Array.from({ length: 50 }, () => harness.backend.getSecret('AGENT_CLIENT_ID')),
      );
      expect(new Set(reads)).toEqual(new Set(['finance-agent']));
    });

    it('names each key in its own convention, and the name is stable', () => {
      const first = harness.backend.secretNameFor('AGENT_CLIENT_SECRET');
      expect(first.length).toBeGreaterThan(0);
      expect(harness.backend.secretNameFor('AGENT_CLIENT_SECRET')).toBe(first);
      expect(harness.backend.secretNameFor('AGENT_CLIENT_ID')).not.toBe(first);
    });

    it('never shows a value when the backend is serialized or inspected', async () => {
      const canary = 'canary-secret-value-7f3a9c';
      await harness.put('AGENT_CLIENT_SECRET', canary);
      await harness.backend.getSecret('AGENT_CLIENT_SECRET');
      const { inspect } = await import('node:util');
      expect(JSON.stringify(harness.backend) ?? '').not.toContain(canary);
      expect(inspect(harness.backend, { depth: 10, showHidden: true })).not.toContain(canary);
      expect(String(harness.backend)).not.toContain(canary);
    });

    it('rejects with a typed error naming the backend and secret when access is denied', async (context) => {
      if (!harness.deny) return context.skip(harness.cannot?.deny ?? 'this service cannot deny access');
      await harness.put('AGENT_CLIENT_SECRET', 'value');
      await harness.deny('AGENT_CLIENT_SECRET');
      const error = await expectSecretsBackendError(
        harness.backend.getSecret('AGENT_CLIENT_SECRET'),
        name,
        harness.backend.secretNameFor('AGENT_CLIENT_SECRET'),
      );
      expect(error.message).not.toContain('value');
    });

    it('rejects with a typed error when authentication to the service fails', async (context) => {
      if (!harness.breakAuthentication)
        return context.skip(harness.cannot?.breakAuthentication ?? 'this backend does not authenticate');
      await harness.put('AGENT_CLIENT_ID', 'finance-agent');
      await harness.breakAuthentication();
      await expectSecretsBackendError(
        harness.backend.getSecret('AGENT_CLIENT_ID'),
        name,
        harness.backend.secretNameFor('AGENT_CLIENT_ID'),
      );
    });

    it('rejects with a typed error when the service is unreachable', async (context) => {
      if (!harness.makeUnreachable)
        return context.skip(harness.cannot?.makeUnreachable ?? 'this backend has no remote service');
      await harness.makeUnreachable();
      await expectSecretsBackendError(
        harness.backend.getSecret('AGENT_CLIENT_ID'),
        name,
        harness.backend.secretNameFor('AGENT_CLIENT_ID'),
      );
    });

    it('rejects with a typed error when the service is too slow', async (context) => {
      if (!harness.makeSlow)
        return context.skip(harness.cannot?.makeSlow ?? 'this backend has no remote service');
      await harness.makeSlow();
      await expectSecretsBackendError(
        harness.backend.getSecret('AGENT_CLIENT_ID'),
        name,
        harness.backend.secretNameFor('AGENT_CLIENT_ID'),
      );
    });

    it('serves repeated reads from its cache and reads again after refresh', async (context) => {
      const { readCount, backend } = harness;
      if (!readCount || !backend.refresh)
        return context.skip(harness.cannot?.readCount ?? 'this backend does not cache');
      await harness.put('AGENT_CLIENT_ID', 'first');
      await backend.getSecret('AGENT_CLIENT_ID');
      const afterFirstRead = readCount();
      await Promise.all([backend.getSecret('AGENT_CLIENT_ID'), backend.getSecret('AGENT_CLIENT_ID')]);
      expect(readCount()).toBe(afterFirstRead);
      await harness.put('AGENT_CLIENT_ID', 'second');
      await backend.refresh();
      await expect(backend.getSecret('AGENT_CLIENT_ID')).resolves.toBe('second');
      expect(readCount()).toBeGreaterThan(afterFirstRead);
    });
  });
}
