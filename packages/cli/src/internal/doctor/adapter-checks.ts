import { ConfigurationError, type DualAuthConfig } from '@dual-auth/core';
import { probeAdapter } from '../app-config.ts';
import { type CheckOutcome, errorText } from './doctor-check.ts';
import type { DoctorFacts, DoctorSetupCheck } from './doctor-facts.ts';

function adapterTitle(facts: { readonly config?: DualAuthConfig }): string {
  return `${facts.config?.vendor ?? 'vendor'} adapter`;
}

function refused(error: unknown): CheckOutcome<DoctorFacts> {
  const setting = error instanceof ConfigurationError ? error.setting : undefined;
  return {
    status: 'fail',
    fault: 'config_invalid',
    detail: errorText(error),
    fix: setting === undefined ? 'see the message' : `fix ${setting}`,
  };
}

/**
 * `adapter`, first part: the adapter constructed without a signer, as the agent would, to learn
 * the mode the configuration selects (hybrid needs the app key before the adapter can be built).
 * Shown only when the adapter refuses the configuration.
 */
export const adapterModeCheck: DoctorSetupCheck<'config'> = {
  id: 'adapter',
  title: adapterTitle,
  needs: ['config'],
  provides: ['adapterProbe'],
  async run({ config }) {
    try {
      return { status: 'silent', provides: { adapterProbe: await probeAdapter(config) } };
    } catch (error) {
      return refused(error);
    }
  },
};

/** `adapter`: the vendor adapter accepts the configuration, with the app key's signer in hybrid mode. */
export const adapterCheck: DoctorSetupCheck<'config' | 'adapterProbe' | 'appKey'> = {
  id: 'adapter',
  title: adapterTitle,
  needs: ['config', 'adapterProbe', 'appKey'],
  provides: ['adapter'],
  whenNotRun: (need) =>
    need === 'appKey' ? { status: 'skip', detail: 'needs the application key (hybrid mode)' } : undefined,
  async run({ config, adapterProbe: { AdapterClass, probe, mode }, appKey: { sender } }) {
    try {
      const adapter =
        mode === 'hybrid' && sender
          ? new AdapterClass(config, {
              signActAssertion: sender.createActAssertionSigner(
                config.audience === undefined ? {} : { audience: config.audience },
              ),
            })
          : (probe ?? new AdapterClass(config, {}));
      const authMethod = (adapter as typeof adapter & { authMethod?: string }).authMethod ?? 'default';
      return {
        status: 'pass',
        detail: `${adapter.mode} mode, ${authMethod} client authentication`,
        provides: { adapter },
      };
    } catch (error) {
      return refused(error);
    }
  },
};
