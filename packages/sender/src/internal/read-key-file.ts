import type { Logger } from '@dual-auth/core';
import { readKeyFile as readKeyFileOfSetting } from '@dual-auth/core/config';
import { MAXIMUM_KEY_TEXT_LENGTH } from './load-signing-key.ts';

/** The setting that names the application's private key file, as the seed calls it. */
export const PRIVATE_KEY_PATH_SETTING = 'APP_PRIVATE_KEY_PATH';

/** Reads the application's private key file with core's checks, warning when others may read it. */
export function readKeyFile(path: string, logger: Logger): Promise<string> {
  return readKeyFileOfSetting(path, {
    setting: PRIVATE_KEY_PATH_SETTING,
    maximumBytes: MAXIMUM_KEY_TEXT_LENGTH,
    logger,
    looseModeWarning: 'private key file is readable by group or others; restrict it with chmod 600',
  });
}
