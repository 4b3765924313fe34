import { ConfigurationError, type DualAuthConfig } from '@dual-auth/core';
import { HybridSender } from './hybrid-sender.ts';
import type { HybridSenderOptions } from './hybrid-sender-options.ts';

/**
 * Options of {@link createSenderFromConfig}: everything but the key and issuer, which come from the config.
 *
 * @example
 * ```ts
 * const sender = await createSenderFromConfig(config, { logger, allowEmailAsSubjectFallback: false } satisfies SenderFromConfigOptions);
 * ```
 */
export type SenderFromConfigOptions = Omit<
  HybridSenderOptions,
  'privateKey' | 'privateKeyPath' | 'appId' | 'config'
>;

/**
 * A signing {@link HybridSender} from `getConfig()`'s result: the key from `APP_PRIVATE_KEY_PATH`,
 * the issuer from `APP_ID`, and the insecure-loopback opt-in and the act display claims
 * (`DUAL_AUTH_ACT_DISPLAY_CLAIMS`) from the configuration. A missing
 * setting is a `ConfigurationError` naming it; so is a missing or malformed key file.
 *
 * @example
 * ```ts
 * const sender = await createSenderFromConfig(await getConfig(), { logger });
 * const actJwt = await sender.prepareOutOfSessionAct(act, { agentEndpoint: config.agentEndpoint ?? '' });
 * ```
 */
export async function createSenderFromConfig(
  config: DualAuthConfig,
  options: SenderFromConfigOptions = {},
): Promise<HybridSender> {
  if (typeof config !== 'object' || config === null) {
    throw new TypeError('createSenderFromConfig: config must be the result of getConfig()');
  }
  if (config.appPrivateKeyPath === undefined || config.appPrivateKeyPath.trim() === '') {
    throw new ConfigurationError(
      "APP_PRIVATE_KEY_PATH is not set: point it at the application's private key file (PEM).",
      { setting: 'APP_PRIVATE_KEY_PATH' },
    );
  }
  if (config.appId === undefined || config.appId.trim() === '') {
    throw new ConfigurationError(
      "APP_ID is not set: give the application's identifier, the issuer of its act JWTs (e.g. https://app.example.com).",
      { setting: 'APP_ID' },
    );
  }
  return HybridSender.create({
    config,
    ...options,
    privateKeyPath: config.appPrivateKeyPath,
    appId: config.appId,
  });
}
