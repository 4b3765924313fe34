import { describe, expect, it } from 'vitest';
import { SecretsBackendError } from './errors.ts';
import { logSecretReads } from './log-secret-reads.ts';
import type { Logger } from './logger.ts';

function recordingLogger() {
  const entries: { level: string; message: string; fields: Record<string, unknown> | undefined }[] = [];
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void =>
      void entries.push({ level, message, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { entries, logger };
}

describe('logSecretReads', () => {
  it('logs each read with whether the secret was found, never the value', async () => {
    const { entries, logger } = recordingLogger();
    const read = logSecretReads('probe', logger, async (name) =>
      name === 'present' ? 'canary-value' : undefined,
    );
    const signal = new AbortController().signal;
    await expect(read('present', signal)).resolves.toBe('canary-value');
    await expect(read('absent', signal)).resolves.toBeUndefined();
    expect(
      entries.map(({ level, message, fields }) => [level, message, fields?.secretName, fields?.found]),
    ).toEqual([
      ['debug', 'secret read', 'present', true],
      ['debug', 'secret read', 'absent', false],
    ]);
    expect(JSON.stringify(entries)).not.toContain('canary-value');
  });

  it('warns with a dual-auth error message, hides foreign ones, and leaves aborts to the caller', async () => {
    const { entries, logger } = recordingLogger();
    const denied = new SecretsBackendError('probe secrets backend: access denied, reading "x".', {
      backend: 'probe',
    });
    const foreign = new Error('request body quoted: canary-value');
    const failures = [denied, foreign];
    const read = logSecretReads('probe', logger, async () => {
      throw failures.shift() ?? new Error('aborted');
    });
    const signal = new AbortController().signal;
    await expect(read('x', signal)).rejects.toBe(denied);
    await expect(read('y', signal)).rejects.toBe(foreign);
    const aborted = new AbortController();
    aborted.abort();
    await expect(read('z', aborted.signal)).rejects.toThrow('aborted');
    expect(entries.map(({ level, fields }) => [level, fields?.secretName, fields?.problem])).toEqual([
      ['warn', 'x', denied.message],
      ['warn', 'y', 'unexpected error'],
    ]);
  });
});
