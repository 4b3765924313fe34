import { ConfigurationError, SecretsBackendError } from '@dual-auth/core';
import { loadAppConfig } from '../app-config.ts';
import type { DoctorSetupCheck } from './doctor-facts.ts';

/** `config`: core's `getConfig()` loads the configuration as the application would. */
export const configCheck: DoctorSetupCheck<never> = {
  id: 'config',
  title: 'configuration loads (getConfig)',
  needs: [],
  provides: ['config'],
  async run(_facts, { environment, overrides }) {
    try {
      const { config, fallback } = await loadAppConfig(environment, overrides);
      const detail = `vendor ${config.vendor}, secrets backend ${config.secretsBackend}, agent ${config.clientId}`;
      if (!fallback) return { status: 'pass', detail, provides: { config } };
      return {
        status: 'warn',
        detail: `${detail} (the vendor or backend package was loaded from the CLI's own install, not from the working directory)`,
        fix: 'install the adapter and secrets backend packages in the application, and run doctor from its directory',
        provides: { config },
      };
    } catch (error) {
      if (error instanceof SecretsBackendError)
        return {
          status: 'fail',
          fault: 'secrets_backend',
          detail: error.message,
          fix: `the ${error.backend} secrets backend could not read${error.secretName === undefined ? '' : ` "${error.secretName}"`}: check the secret exists under that name (prefix + key), and the backend's credentials and permissions`,
        };
      if (error instanceof ConfigurationError)
        return {
          status: 'fail',
          fault: /is not installed/.test(error.message) ? 'package_missing' : 'config_invalid',
          detail: error.message,
          fix:
            error.setting === undefined
              ? 'see the message'
              : `set ${error.setting} (in the environment or secrets backend)`,
        };
      throw error;
    }
  },
};
