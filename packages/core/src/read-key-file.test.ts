import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors.ts';
import { readKeyFile } from './read-key-file.ts';

const directory = mkdtempSync(join(tmpdir(), 'dual-auth-read-key-file-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const warnings: unknown[] = [];
const logger = {
  debug: () => {},
  info: () => {},
  warn: (message: string, fields?: unknown) => void warnings.push({ message, fields }),
  error: () => {},
};
const options = { setting: 'SOME_KEY_PATH', maximumBytes: 64, logger, looseModeWarning: 'loose' };

// Bounded: a read that blocks (the bug this guards against) fails the test instead of hanging it.
async function within<T>(promise: Promise<T>, ms = 3_000): Promise<T | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), ms);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe.skipIf(process.platform === 'win32')('readKeyFile', () => {
  it('reads a regular file within the limit, warning when others may read it', async () => {
    const path = join(directory, 'key.pem');
    writeFileSync(path, 'key text', { mode: 0o644 });
    await expect(readKeyFile(path, options)).resolves.toBe('key text');
    expect(warnings).toContainEqual({ message: 'loose', fields: { setting: 'SOME_KEY_PATH', mode: '0644' } });
  });

  it('refuses a FIFO at once, without waiting for a writer', async () => {
    const path = join(directory, 'key.fifo');
    execFileSync('mkfifo', ['-m', '600', path]);
    const read = readKeyFile(path, options).catch((reason: unknown) => reason);
    try {
      const error = await within(read);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({
        setting: 'SOME_KEY_PATH',
        message: 'SOME_KEY_PATH names a file that is not a regular file (a FIFO, socket or device).',
      });
    } finally {
      // Releases a reader blocked in open() (only before the fix); no reader gives ENXIO.
      try {
        closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {}
      await read;
    }
  });

  it('refuses a directory, a missing file and a character device', async () => {
    const cases: [string, string][] = [
      [directory, 'is a directory'],
      [join(directory, 'missing.pem'), 'does not exist'],
      ['/dev/zero', 'is not a regular file (a FIFO, socket or device)'],
    ];
    for (const [path, reason] of cases) {
      const error = await within(readKeyFile(path, options).catch((reason: unknown) => reason));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({
        setting: 'SOME_KEY_PATH',
        message: `SOME_KEY_PATH names a file that ${reason}.`,
      });
    }
  });

  it('refuses a file larger than the limit without quoting it', async () => {
    const path = join(directory, 'large.pem');
    writeFileSync(path, 'canary-key-content-'.repeat(10), { mode: 0o600 });
    const error = await readKeyFile(path, options).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(
      'SOME_KEY_PATH names a file that is larger than 64 bytes, which no key is.',
    );
    expect(JSON.stringify(error)).not.toContain('canary');
  });
});
