import { ConfigurationError, type Logger } from '@dual-auth/core';
import { MAXIMUM_KEY_TEXT_LENGTH } from './load-signing-key.ts';

/** The setting that names the application's private key file, as the seed calls it. */
export const PRIVATE_KEY_PATH_SETTING = 'APP_PRIVATE_KEY_PATH';

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
 * Reads a private key file, warning when group or others may read it. The checks and the content
 * come from one open file handle, so a file swapped in between cannot escape them: it must be a
 * regular file (a directory, FIFO, socket or device is refused; the open never waits on a FIFO)
 * no larger than {@link MAXIMUM_KEY_TEXT_LENGTH}, and no more than that is read even if it grows.
 * (Mirrors `@dual-auth/core`'s internal reader, which core does not export.)
 */
export async function readKeyFile(path: string, logger: Logger): Promise<string> {
  const setting = PRIVATE_KEY_PATH_SETTING;
  let fs: typeof import('node:fs/promises');
  try {
    fs = await import('node:fs/promises');
  } catch (error) {
    throw new ConfigurationError(`${setting} needs a file system; pass the key itself as privateKey.`, {
      setting,
      cause: error,
    });
  }
  const tooLarge = `is larger than ${MAXIMUM_KEY_TEXT_LENGTH} bytes, which no key is`;
  let handle: Awaited<ReturnType<typeof fs.open>> | undefined;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    handle = await fs.open(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new KeyFileProblem('is a directory');
    if (!stats.isFile()) throw new KeyFileProblem('is not a regular file (a FIFO, socket or device)');
    if (stats.size > MAXIMUM_KEY_TEXT_LENGTH) throw new KeyFileProblem(tooLarge);
    if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
      logger.warn('private key file is readable by group or others; restrict it with chmod 600', {
        setting,
        mode: (stats.mode & 0o777).toString(8).padStart(4, '0'),
      });
    }
    // One byte more than the limit tells a file that grew after stat() from one that fits.
    const buffer = new Uint8Array(MAXIMUM_KEY_TEXT_LENGTH + 1);
    let length = 0;
    try {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.byteLength - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length > MAXIMUM_KEY_TEXT_LENGTH) throw new KeyFileProblem(tooLarge);
      }
      return new TextDecoder().decode(buffer.subarray(0, length));
    } finally {
      buffer.fill(0);
    }
  } catch (error) {
    if (error instanceof KeyFileProblem) {
      throw new ConfigurationError(`${setting} names a file that ${error.message}.`, { setting });
    }
    if (error instanceof ConfigurationError) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    const reason = (typeof code === 'string' && reasons[code]) || 'cannot be read';
    throw new ConfigurationError(`${setting} names a file that ${reason}.`, { setting, cause: error });
  } finally {
    await handle?.close();
  }
}
