import { stat } from 'node:fs/promises';
import { ConfigurationError } from '@dual-auth/core';
import { errorText } from './doctor-check.ts';
import type { DoctorSetupCheck } from './doctor-facts.ts';

/**
 * `app-key`: hybrid mode (or `APP_PRIVATE_KEY_PATH` set) loads the application key with `APP_ID`;
 * warns when the file is readable by group or others. In agbac mode nothing needs the key, so the
 * adapter goes on without it whatever this check found.
 */
export const appKeyCheck: DoctorSetupCheck<'config' | 'adapterProbe'> = {
  id: 'app-key',
  title: 'application key (signs act JWTs and act assertions)',
  needs: ['config', 'adapterProbe'],
  provides: ['appKey'],
  async run({ config, adapterProbe: { mode } }) {
    const unused = mode === 'hybrid' ? {} : { provides: { appKey: { sender: undefined } } };
    if (mode !== 'hybrid' && config.appPrivateKeyPath === undefined)
      return { status: 'skip', detail: `not used in ${mode} mode without APP_PRIVATE_KEY_PATH`, ...unused };
    try {
      const { createSenderFromConfig } = await import('@dual-auth/sender');
      const sender = await createSenderFromConfig(config);
      const path = config.appPrivateKeyPath as string;
      const fileMode = (await stat(path)).mode & 0o777;
      const provides = { appKey: { sender } };
      if ((fileMode & 0o077) !== 0)
        return {
          status: 'warn',
          detail: `${path} is readable by group or others (mode ${fileMode.toString(8)})`,
          fix: `chmod 600 ${path}`,
          provides,
        };
      return {
        status: 'pass',
        detail: `${await sender.signingAlgorithm()} key at ${path}, issuer ${config.appId}`,
        provides,
      };
    } catch (error) {
      const setting = error instanceof ConfigurationError ? error.setting : undefined;
      return {
        status: 'fail',
        fault: 'app_key',
        detail: errorText(error),
        fix: `${setting === undefined ? 'set APP_PRIVATE_KEY_PATH and APP_ID' : `fix ${setting}`}; "dual-auth keygen" creates a key pair`,
        ...unused,
      };
    }
  },
};
