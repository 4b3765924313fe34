import type { SettingDefinition, VendorDefinition } from '@dual-auth/core';
import { clientCredentialsSettings } from '@dual-auth/core/oauth';

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
 * `{resource}/.default`), then core's `clientCredentialsSettings`: `AGENT_CLIENT_ID`,
 * `AGENT_CLIENT_SECRET` (not needed with `private_key_jwt`), `DUAL_AUTH_MODE`, `AGENT_AUTH_METHOD`,
 * and for `private_key_jwt` the key file `AGENT_PRIVATE_KEY_PATH`, `AGENT_PRIVATE_KEY_ALG`,
 * `AGENT_PRIVATE_KEY_ID` and `AGENT_CERTIFICATE_THUMBPRINT` (Entra ID's `x5t#S256`); plus core's
 * `commonSettings` (`API_AUDIENCE`, `APP_ID`, `APP_PRIVATE_KEY_PATH`, …).
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
