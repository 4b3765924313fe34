import {
  commonSettings,
  type DualAuthConfig,
  type SettingDefinition,
  type SettingValue,
  type VendorDefinition,
} from './config-definition.ts';
import { ConfigurationError } from './errors.ts';
import { getSecretsBackendType } from './get-secrets-backend-type.ts';
import { getVendor } from './get-vendor.ts';
import { defaultEnvironment } from './internal/default-environment.ts';
import { createPackageLoader, type PackageLoader } from './internal/load-package.ts';
import { parseSetting } from './internal/parse-setting.ts';
import {
  ACT_DISPLAY_CLAIMS_SETTING,
  type ActDisplayClaim,
  parseActDisplayClaims,
} from './parse-act-display-claims.ts';
import { Secret } from './secret.ts';
import type { Environment, SecretsBackend, SecretsBackendDefinition } from './secrets-backend.ts';
import { INSECURE_LOOPBACK_SETTING } from './url-policy.ts';
import {
  adapterPackageName,
  type SecretsBackendType,
  secretsBackendPackageName,
  type Vendor,
} from './vendors.ts';

/**
 * Options of {@link getConfig}.
 *
 * @example
 * ```ts
 * const options: GetConfigOptions = { vendor: 'okta', secretsBackend: 'vault' };
 * ```
 */
export interface GetConfigOptions {
  /** The vendor; overrides `DUAL_AUTH_VENDOR`. */
  readonly vendor?: Vendor | (string & {});
  /** The secrets backend type, overriding `DUAL_AUTH_SECRETS_BACKEND`, or a ready backend instance. */
  readonly secretsBackend?: SecretsBackendType | (string & {}) | SecretsBackend;
  /** Where `DUAL_AUTH_*` selection and backend settings are read (default `process.env`). */
  readonly environment?: Environment;
  /**
   * Directory from which adapter and backend packages are resolved, and the only one searched.
   * Default: dual-auth's own location, then the working directory.
   */
  readonly resolveFrom?: string | URL;
  readonly signal?: AbortSignal;
}

function installHint(packageName: string): string {
  return `Install it with: npm install ${packageName} (or pnpm add ${packageName}).`;
}

function parseInsecureLoopbackFlag(environment: Environment): boolean {
  const raw = environment[INSECURE_LOOPBACK_SETTING]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new ConfigurationError(`${INSECURE_LOOPBACK_SETTING} must be true or false.`, {
    setting: INSECURE_LOOPBACK_SETTING,
  });
}

async function loadVendorDefinition(vendor: Vendor, load: PackageLoader): Promise<VendorDefinition> {
  const packageName = adapterPackageName(vendor);
  const loaded = await load(packageName);
  if (loaded === undefined) {
    throw new ConfigurationError(
      `DUAL_AUTH_VENDOR is ${vendor}, but ${packageName} is not installed. ${installHint(packageName)}`,
      { setting: 'DUAL_AUTH_VENDOR' },
    );
  }
  const definition = loaded.vendorDefinition as VendorDefinition | undefined;
  if (definition?.vendor !== vendor || !Array.isArray(definition.settings)) {
    throw new ConfigurationError(
      `${packageName} does not export a vendorDefinition for ${vendor}; reinstall it.`,
      {
        setting: 'DUAL_AUTH_VENDOR',
      },
    );
  }
  return definition;
}

async function createSecretsBackend(
  type: SecretsBackendType,
  environment: Environment,
  load: PackageLoader,
): Promise<SecretsBackend> {
  const packageName = secretsBackendPackageName(type);
  const loaded = await load(packageName);
  if (loaded === undefined) {
    throw new ConfigurationError(
      `The ${type} secrets backend needs ${packageName}, which is not installed. ${installHint(packageName)}`,
      { setting: 'DUAL_AUTH_SECRETS_BACKEND' },
    );
  }
  const definition = loaded.secretsBackendDefinition as SecretsBackendDefinition | undefined;
  if (definition?.type !== type || typeof definition.create !== 'function') {
    throw new ConfigurationError(
      `${packageName} does not export a secretsBackendDefinition for ${type}; reinstall it.`,
      {
        setting: 'DUAL_AUTH_SECRETS_BACKEND',
      },
    );
  }
  return definition.create(environment);
}

function mergeSettings(vendorSettings: readonly SettingDefinition[]): SettingDefinition[] {
  const byKey = new Map<string, SettingDefinition>();
  for (const setting of [...commonSettings, ...vendorSettings]) byKey.set(setting.key, setting);
  return [...byKey.values()];
}

async function readSettings(
  definitions: readonly SettingDefinition[],
  backend: SecretsBackend,
  options: { allowInsecureLoopback: boolean; signal: AbortSignal | undefined },
): Promise<Record<string, SettingValue>> {
  const readOptions = options.signal === undefined ? {} : { signal: options.signal };
  const raws = await Promise.all(
    definitions.map((definition) => backend.getSecret(definition.key, readOptions)),
  );
  const settings: Record<string, SettingValue> = {};
  const problems: { key: string; text: string }[] = [];
  definitions.forEach((definition, index) => {
    const raw = raws[index]?.trim();
    if (raw === undefined || raw === '') {
      if (!definition.required) return;
      const state = raw === undefined ? 'is not set' : 'is empty';
      problems.push({
        key: definition.key,
        text: `${definition.key} ${state} (${definition.description}); the ${backend.name} secrets backend looked for "${backend.secretNameFor(definition.key)}"`,
      });
      return;
    }
    const parsed = parseSetting(definition, raw, options);
    if (parsed.ok) settings[definition.key] = parsed.value;
    else
      problems.push({
        key: definition.key,
        text: `${definition.key} ${parsed.problem} (${definition.description})`,
      });
  });
  const [first] = problems;
  if (first !== undefined) {
    throw new ConfigurationError(`Configuration is incomplete: ${problems.map((p) => p.text).join('; ')}.`, {
      setting: first.key,
    });
  }
  return settings;
}

function buildConfig(
  vendor: Vendor,
  backendName: string,
  definitions: readonly SettingDefinition[],
  settings: Readonly<Record<string, SettingValue>>,
  selection: { allowInsecureLoopback: boolean; actDisplayClaims: readonly ActDisplayClaim[] },
): DualAuthConfig {
  const property = (name: string): SettingValue | undefined => {
    const definition = definitions.find((candidate) => candidate.property === name);
    return definition === undefined ? undefined : settings[definition.key];
  };
  const text = (name: string): string | undefined => {
    const value = property(name);
    return typeof value === 'string' ? value : undefined;
  };
  const tokenUrl = text('tokenUrl');
  const clientId = text('clientId');
  if (tokenUrl === undefined || clientId === undefined) {
    throw new ConfigurationError(
      `The ${vendor} vendor definition declares no token URL or client id setting.`,
      {
        setting: 'DUAL_AUTH_VENDOR',
      },
    );
  }
  const clientSecret = property('clientSecret');
  const scope = property('scope');
  return Object.freeze({
    vendor,
    secretsBackend: backendName,
    tokenUrl,
    clientId,
    clientSecret: clientSecret instanceof Secret ? clientSecret : undefined,
    audience: text('audience'),
    scope: Array.isArray(scope) ? (scope as readonly string[]) : undefined,
    appId: text('appId'),
    appPrivateKeyPath: text('appPrivateKeyPath'),
    appPublicKeyPath: text('appPublicKeyPath'),
    agentEndpoint: text('agentEndpoint'),
    apiUrl: text('apiUrl'),
    allowInsecureLoopback: selection.allowInsecureLoopback,
    actDisplayClaims: selection.actDisplayClaims,
    settings: Object.freeze({ ...settings }),
  });
}

/**
 * Loads and validates the configuration of an agent or application, as the seed's `get_config()`:
 * the vendor from `DUAL_AUTH_VENDOR`, the secrets backend from `DUAL_AUTH_SECRETS_BACKEND` (default
 * `env`), then every setting the vendor's adapter declares, read through that backend. The adapter
 * (`@dual-auth/adapter-<vendor>`) and backend (`@dual-auth/secrets-<type>`) packages are loaded on
 * demand, so an application installs only the ones it uses.
 *
 * @example
 * ```ts
 * import { ConfigurationError } from '@dual-auth/core';
 * import { getConfig } from '@dual-auth/core/config';
 *
 * try {
 *   const config = await getConfig(); // or getConfig({ vendor: 'okta', secretsBackend: 'vault' })
 *   console.log(config.vendor, config.tokenUrl, config.clientId);
 * } catch (error) {
 *   if (error instanceof ConfigurationError) console.error(`Fix ${error.setting}: ${error.message}`);
 *   throw error;
 * }
 * ```
 * @throws {ConfigurationError} naming the setting or package at fault, never a value.
 * @throws {SecretsBackendError} when the backend cannot be read.
 */
export async function getConfig(options: GetConfigOptions = {}): Promise<DualAuthConfig> {
  const environment = options.environment ?? defaultEnvironment();
  const vendor = getVendor(options.vendor, environment);
  const allowInsecureLoopback = parseInsecureLoopbackFlag(environment);
  const actDisplayClaims = parseActDisplayClaims(environment[ACT_DISPLAY_CLAIMS_SETTING]);
  const load = createPackageLoader(options.resolveFrom);
  const vendorDefinition = await loadVendorDefinition(vendor, load);
  const providedBackend = typeof options.secretsBackend === 'object' ? options.secretsBackend : undefined;
  const backend =
    providedBackend ??
    (await createSecretsBackend(
      getSecretsBackendType(options.secretsBackend as string | undefined, environment),
      environment,
      load,
    ));
  try {
    const definitions = mergeSettings(vendorDefinition.settings);
    const settings = await readSettings(definitions, backend, {
      allowInsecureLoopback,
      signal: options.signal,
    });
    return buildConfig(vendor, backend.name, definitions, settings, {
      allowInsecureLoopback,
      actDisplayClaims,
    });
  } finally {
    if (providedBackend === undefined) await backend.close?.();
  }
}
