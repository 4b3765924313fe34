import { ConfigurationError } from './errors.ts';
import type { Logger } from './logger.ts';

/**
 * How {@link readKeyFile} reads one key file.
 *
 * @example
 * ```ts
 * const options: KeyFileReadOptions = {
 *   setting: 'APP_PRIVATE_KEY_PATH',
 *   maximumBytes: 64 * 1024,
 *   logger,
 *   looseModeWarning: 'private key file is readable by group or others; restrict it with chmod 600',
 * };
 * ```
 */
export interface KeyFileReadOptions {
  /** The setting that names the file, for errors and warnings (never the content). */
  readonly setting: string;
  /** Largest file accepted, in bytes. */
  readonly maximumBytes: number;
  readonly logger: Logger;
  /** Logged (with the setting and mode) when group or others may read the file. */
  readonly looseModeWarning: string;
}

const reasons: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'does not exist',
  EACCES: 'cannot be read by this process (permission denied)',
  EPERM: 'cannot be read by this process (permission denied)',
  EISDIR: 'is a directory',
  ELOOP: 'is a loop of symbolic links',
};

class KeyFileProblem extends Error {}

/**
 * Reads a private key file as UTF-8 text. Node only (the file system), imported lazily so edge
 * runtimes never load `node:fs`. The checks and the read use one open file handle, so a file
 * swapped in between cannot escape them: it must be a regular file (a directory, FIFO, socket or
 * device is refused; the open does not block on a FIFO) no larger than `maximumBytes`, and at most
 * `maximumBytes` are ever read even if the file grows. Every failure is a `ConfigurationError`
 * naming the setting, never the content.
 *
 * @example
 * ```ts
 * const pem = await readKeyFile(config.appPrivateKeyPath, { setting: 'APP_PRIVATE_KEY_PATH', maximumBytes: 64 * 1024, logger, looseModeWarning: 'key file is readable by others' });
 * ```
 */
export async function readKeyFile(path: string, options: KeyFileReadOptions): Promise<string> {
  const { setting, maximumBytes, logger } = options;
  let fs: typeof import('node:fs/promises');
  try {
    fs = await import('node:fs/promises');
  } catch (cause) {
    throw new ConfigurationError(`${setting} needs a file system; pass the key itself instead.`, {
      setting,
      cause,
    });
  }
  let handle: Awaited<ReturnType<typeof fs.open>> | undefined;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    handle = await fs.open(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new KeyFileProblem('is a directory');
    if (!stats.isFile()) throw new KeyFileProblem('is not a regular file (a FIFO, socket or device)');
    const tooLarge = `is larger than ${maximumBytes} bytes, which no key is`;
    if (stats.size > maximumBytes) throw new KeyFileProblem(tooLarge);
    if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
      logger.warn(options.looseModeWarning, {
        setting,
        mode: (stats.mode & 0o777).toString(8).padStart(4, '0'),
      });
    }
    // One byte more than the limit tells a file that grew after stat() from one that fits.
    const buffer = new Uint8Array(maximumBytes + 1);
    let length = 0;
    try {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.byteLength - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length > maximumBytes) throw new KeyFileProblem(tooLarge);
      }
      return new TextDecoder().decode(buffer.subarray(0, length));
    } finally {
      buffer.fill(0);
    }
  } catch (error) {
    if (error instanceof KeyFileProblem) {
      throw new ConfigurationError(`${setting} names a file that ${error.message}.`, { setting });
    }
    const code = (error as { code?: unknown } | null)?.code;
    const reason = (typeof code === 'string' && reasons[code]) || 'cannot be read';
    throw new ConfigurationError(`${setting} names a file that ${reason}.`, { setting, cause: error });
  } finally {
    await handle?.close();
  }
}
