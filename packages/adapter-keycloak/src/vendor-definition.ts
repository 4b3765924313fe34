import { clientCredentialsSettings, type SettingDefinition, type VendorDefinition } from '@dual-auth/core';

const tokenUrl: SettingDefinition = {
  key: 'KEYCLOAK_TOKEN_URL',
  kind: 'url',
  required: true,
  property: 'tokenUrl',
  description: "the realm's token endpoint, https://{host}/realms/{realm}/protocol/openid-connect/token",
};

/**
 * The settings `getConfig()` reads for Keycloak: `KEYCLOAK_TOKEN_URL`, `AGENT_CLIENT_ID`,
 * `AGENT_CLIENT_SECRET`, `DUAL_AUTH_MODE`, `AGENT_AUTH_METHOD`, plus core's common settings.
 *
 * @example
 * ```ts
 * const keys = vendorDefinition.settings.map((setting) => setting.key);
 * ```
 */
export const vendorDefinition: VendorDefinition = Object.freeze({
  vendor: 'keycloak',
  settings: Object.freeze([tokenUrl, ...clientCredentialsSettings]),
});
