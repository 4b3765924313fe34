import { ConfigurationError, type DualAuthConfig, SecretsBackendError, type Vendor } from '@dual-auth/core';
import type { HybridOptions } from '@dual-auth/verifier';
import { exitCodes } from '../../exit-codes.ts';
import { agbacHumanClaim, environmentWithEnvFile, loadAppConfig, probeAdapter } from '../app-config.ts';
import { CliExit, type CommandContext } from '../command-context.ts';
import { fetchJson } from '../fetch-json.ts';
import { tokenUrlExample, tokenUrlSettings, vendorEndpoints } from '../vendor-endpoints.ts';
import { discoveryFailure } from '../verify-hints.ts';
import { parseKeyText, readFileArgument } from './verify-file-arguments.ts';

/** Verifier settings taken from the configuration (`--from-config`); explicit options win. */
export interface ConfiguredSettings {
  readonly vendor: Vendor;
  readonly issuer: string;
  readonly jwksUri: string | undefined;
  readonly audience: string | undefined;
  readonly layout: string | undefined;
  readonly humanClaim: string | undefined;
  readonly appId: string | undefined;
  readonly appKeys: HybridOptions['keys'] | undefined;
  readonly allowInsecureLoopback: boolean;
  /** The configured agent (AGENT_CLIENT_ID): in exchange mode, the client that exchanges users' tokens. */
  readonly agentClientId: string;
}

/** The application's public key as the API would hold it: APP_PUBLIC_KEY_PATH, else the private key's public half. */
async function configuredAppKeys(
  context: CommandContext,
  config: DualAuthConfig,
): Promise<HybridOptions['keys'] | undefined> {
  if (config.appPublicKeyPath !== undefined)
    return parseKeyText(
      await readFileArgument(context, config.appPublicKeyPath, 'APP_PUBLIC_KEY_PATH'),
      'APP_PUBLIC_KEY_PATH',
    );
  if (config.appPrivateKeyPath === undefined || config.appId === undefined) return undefined;
  try {
    const { createSenderFromConfig } = await import('@dual-auth/sender');
    const sender = await createSenderFromConfig(config);
    return (await sender.publicJwks()) as unknown as { keys: object[] };
  } catch (error) {
    throw new CliExit(
      exitCodes.input,
      `the application key (APP_PRIVATE_KEY_PATH) does not load: ${(error as Error).message}`,
    );
  }
}

/** The verifier settings of `--from-config`: getConfig(), the discovery document and the adapter's mode. */
export async function settingsFromConfig(
  context: CommandContext,
  values: {
    vendor?: string | undefined;
    issuer?: string | undefined;
    'jwks-uri'?: string | undefined;
    layout?: string | undefined;
    'human-claim'?: string | undefined;
    'app-public-key'?: string | undefined;
    'app-jwks-uri'?: string | undefined;
    dotenv?: string | undefined;
    'secrets-backend'?: string | undefined;
  },
  token: string,
): Promise<ConfiguredSettings> {
  const environment = await environmentWithEnvFile(context, values['dotenv']);
  let config: DualAuthConfig;
  try {
    const loaded = await loadAppConfig(environment, {
      vendor: values.vendor,
      secretsBackend: values['secrets-backend'],
    });
    config = loaded.config;
    if (loaded.fallback)
      context.err.write(
        "dual-auth verify: warning: the vendor or secrets backend package was loaded from the CLI's own install, not from the working directory\n",
      );
  } catch (error) {
    if (error instanceof ConfigurationError || error instanceof SecretsBackendError) {
      throw new CliExit(
        exitCodes.input,
        `the configuration does not load (getConfig): ${error.message}; "dual-auth doctor" names the fix`,
      );
    }
    throw error;
  }
  // Issuer and JWKS as doctor finds them: the discovery document next to the configured token URL.
  let issuer = values.issuer;
  let jwksUri = values['jwks-uri'];
  if (issuer === undefined) {
    const endpoints = vendorEndpoints(config.vendor, config.tokenUrl);
    if (endpoints === undefined) {
      throw new CliExit(
        exitCodes.input,
        `the configured token URL ${config.tokenUrl} is not a ${config.vendor} token endpoint (${tokenUrlExample(config.vendor)}); pass --issuer`,
      );
    }
    let discovery: Record<string, unknown>;
    try {
      discovery = await fetchJson(endpoints.discoveryUrl);
    } catch (error) {
      throw discoveryFailure(error, endpoints.discoveryUrl, {
        what: `the token URL (${tokenUrlSettings[config.vendor]})`,
        value: config.tokenUrl,
        token,
      });
    }
    if (typeof discovery.issuer !== 'string')
      throw new CliExit(exitCodes.unavailable, `${endpoints.discoveryUrl} has no issuer; pass --issuer`);
    issuer = discovery.issuer;
    if (jwksUri === undefined && typeof discovery.jwks_uri === 'string') jwksUri = discovery.jwks_uri;
  }
  // The mode and the Auth0 claim as the agent's adapter reads them.
  let layout = values.layout;
  let humanClaim = values['human-claim'];
  if (layout === undefined || (humanClaim === undefined && config.vendor === 'auth0')) {
    let probed: Awaited<ReturnType<typeof probeAdapter>>;
    try {
      probed = await probeAdapter(config);
    } catch (error) {
      throw new CliExit(
        exitCodes.input,
        `the ${config.vendor} adapter refuses the configuration: ${(error as Error).message}; pass --layout, or run "dual-auth doctor"`,
      );
    }
    layout ??= probed.layout;
    if (layout === 'agbac') humanClaim ??= agbacHumanClaim(config, probed.probe);
  }
  const explicitAppKey = values['app-public-key'] !== undefined || values['app-jwks-uri'] !== undefined;
  return {
    vendor: config.vendor,
    issuer,
    jwksUri,
    audience: config.audience,
    layout,
    humanClaim,
    appId: config.appId,
    appKeys: layout === 'hybrid' && !explicitAppKey ? await configuredAppKeys(context, config) : undefined,
    allowInsecureLoopback: config.allowInsecureLoopback,
    agentClientId: config.clientId,
  };
}
