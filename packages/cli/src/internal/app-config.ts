import { readFile } from 'node:fs/promises';
import { parseEnv } from 'node:util';
import {
  type AdapterOptions,
  ConfigurationError,
  type DualAuthConfig,
  type IdpAdapter,
  type TokenMode,
  type Vendor,
} from '@dual-auth/core';
import { getConfig } from '@dual-auth/core/config';
import type { Layout } from '@dual-auth/verifier';
import { exitCodes } from '../exit-codes.ts';
import { CliExit, type CommandContext, resolvePath } from './command-context.ts';

/** The configuration as the application loads it, and whether the CLI's own packages were used. */
export interface LoadedAppConfig {
  readonly config: DualAuthConfig;
  /** The vendor or backend package came from the CLI's install, not the working directory. */
  readonly fallback: boolean;
}

/** Overrides of `DUAL_AUTH_VENDOR` and `DUAL_AUTH_SECRETS_BACKEND` given on the command line. */
export interface AppConfigOverrides {
  readonly vendor?: string | undefined;
  readonly secretsBackend?: string | undefined;
}

/**
 * Loads the configuration with core's `getConfig()` exactly as the application would; when the
 * working directory has no adapter or backend package installed, falls back to the CLI's own copies
 * (`fallback: true`). Throws `ConfigurationError` / `SecretsBackendError` as `getConfig()` does.
 */
export async function loadAppConfig(
  environment: Record<string, string | undefined>,
  overrides: AppConfigOverrides,
): Promise<LoadedAppConfig> {
  const options = {
    environment,
    ...(overrides.vendor === undefined ? {} : { vendor: overrides.vendor }),
    ...(overrides.secretsBackend === undefined ? {} : { secretsBackend: overrides.secretsBackend }),
  };
  try {
    return { config: await getConfig(options), fallback: false };
  } catch (error) {
    // The application's own install comes first; when the working directory has none, the CLI can
    // still work with the adapters it ships, and says so.
    if (!(error instanceof ConfigurationError) || !/is not installed/.test(error.message)) throw error;
    return {
      config: await getConfig({ ...options, resolveFrom: new URL('..', import.meta.url) }),
      fallback: true,
    };
  }
}

/** The process environment with a `.env` file's settings over it (`--dotenv`). */
export async function environmentWithEnvFile(
  context: CommandContext,
  envFile: string | undefined,
): Promise<Record<string, string | undefined>> {
  if (envFile === undefined) return { ...context.env };
  try {
    const parsed = parseEnv(await readFile(resolvePath(context, envFile), 'utf8')) as Record<string, string>;
    return { ...context.env, ...parsed };
  } catch (error) {
    throw new CliExit(
      exitCodes.input,
      `cannot read --dotenv ${envFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

type AdapterClass = new (config: DualAuthConfig, options?: AdapterOptions) => IdpAdapter;

const adapterLoaders: Record<Vendor, () => Promise<AdapterClass>> = {
  keycloak: async () => (await import('@dual-auth/adapter-keycloak')).KeycloakAdapter,
  auth0: async () => (await import('@dual-auth/adapter-auth0')).Auth0Adapter,
  okta: async () => (await import('@dual-auth/adapter-okta')).OktaAdapter,
  entraid: async () => (await import('@dual-auth/adapter-entraid')).EntraIDAdapter,
};

/** The vendor adapter, constructed once without a signer to learn the delegation mode. */
export interface AdapterProbe {
  readonly AdapterClass: AdapterClass;
  /** The adapter built without a signer; `undefined` in hybrid mode, which needs one. */
  readonly probe: IdpAdapter | undefined;
  readonly mode: TokenMode;
  /** The layout an API verifies this mode's tokens with (`exchange`: `rfc8693`). */
  readonly layout: Layout;
}

/** The verifier layout of a token mode: exchanged tokens are in the RFC 8693 layout. */
export const layoutOfMode = (mode: TokenMode): Layout => (mode === 'exchange' ? 'rfc8693' : mode);

/**
 * Constructs the vendor adapter from the configuration as the agent would, without a signer: its
 * mode is what the configuration selects (`DUAL_AUTH_MODE` or the vendor default). Throws what the
 * adapter throws for a configuration it refuses.
 */
export async function probeAdapter(config: DualAuthConfig): Promise<AdapterProbe> {
  const AdapterClass = await adapterLoaders[config.vendor]();
  let probe: IdpAdapter | undefined;
  try {
    probe = new AdapterClass(config, {});
  } catch (error) {
    if (!(error instanceof TypeError && /signActAssertion/.test(error.message))) throw error;
  }
  const mode = probe?.mode ?? 'hybrid';
  return { AdapterClass, probe, mode, layout: layoutOfMode(mode) };
}

/**
 * The claim holding the human in the agbac layout: `act`, or for Auth0 the namespaced claim the
 * Action writes (`AUTH0_ACT_CLAIM`, default `https://dual-auth.dev/act`); the verifier reads
 * `delegation` and `agbac_ver` from the same namespace.
 */
export function agbacHumanClaim(config: DualAuthConfig, adapter: IdpAdapter | undefined): string {
  if (config.vendor !== 'auth0') return 'act';
  return (
    (adapter as (IdpAdapter & { claimNames?: { act: string } }) | undefined)?.claimNames?.act ??
    'https://dual-auth.dev/act'
  );
}
