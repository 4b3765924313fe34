import { ConfigurationError, type Logger } from '@dual-auth/core';
import { MAXIMUM_KEY_TEXT_LENGTH } from './load-signing-key.ts';

/** The setting that names the application's private key file, as the seed calls it. */
export const PRIVATE_KEY_PATH_SETTING = 'APP_PRIVATE_KEY_PATH';

const reasons: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist',
  EACCES: 'cannot be read by this process (permission denied)',
  EPERM: 'cannot be read by this process (permission denied)',
  EISDIR: 'is a directory',
};

/**
 * Reads a private key file, warning when group or others may read it. The mode and the content come
 * from one open file handle, so a file swapped in between cannot escape the check.
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
  let handle: Awaited<ReturnType<typeof fs.open>> | undefined;
  try {
    handle = await fs.open(path, 'r');
    const stats = await handle.stat();
    if (!stats.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    if (stats.size > MAXIMUM_KEY_TEXT_LENGTH) {
      throw new ConfigurationError(
        `${setting} names a file larger than ${MAXIMUM_KEY_TEXT_LENGTH} bytes, which no key is.`,
        { setting },
      );
    }
    if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
      logger.warn('private key file is readable by group or others; restrict it with chmod 600', {
        setting,
        mode: (stats.mode & 0o777).toString(8).padStart(4, '0'),
      });
    }
    return await handle.readFile({ encoding: 'utf8' });
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    const code = (error as { code?: unknown }).code;
    const reason = (typeof code === 'string' && reasons[code]) || 'cannot be read';
    throw new ConfigurationError(`${setting} names a file that ${reason}.`, { setting, cause: error });
  } finally {
    await handle?.close();
  }
}
