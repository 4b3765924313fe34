import { clientCredentialsSettings, type SettingDefinition, type VendorDefinition } from '@dual-auth/core';

const entraSettings: readonly SettingDefinition[] = [
  {
    key: 'ENTRAID_TOKEN_URL',
    kind: 'url',
    required: true,
    property: 'tokenUrl',
    description: "the tenant's token endpoint, https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
  },
  {
    key: 'API_SCOPE',
    kind: 'scopes',
    required: true,
    property: 'scope',
    description: 'exactly one {resource}/.default scope, e.g. api://finance/.default',
  },
];

/**
 * The settings `getConfig()` reads for Entra ID: `ENTRAID_TOKEN_URL`, `API_SCOPE` (required,
 * `{resource}/.default`), `AGENT_CLIENT_ID`, `AGENT_CLIENT_SECRET`, `DUAL_AUTH_MODE`,
 * `AGENT_AUTH_METHOD`, and core's common `API_AUDIENCE`, `APP_ID`, `APP_PRIVATE_KEY_PATH`.
 *
 * @example
 * ```ts
 * const keys = vendorDefinition.settings.map((setting) => setting.key);
 * ```
 */
export const vendorDefinition: VendorDefinition = Object.freeze({
  vendor: 'entraid',
  settings: Object.freeze([...entraSettings, ...clientCredentialsSettings]),
});
