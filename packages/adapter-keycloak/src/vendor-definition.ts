import type { SettingDefinition, VendorDefinition } from '@dual-auth/core';
import { clientCredentialsSettings } from '@dual-auth/core/oauth';

const tokenUrl: SettingDefinition = {
  key: 'KEYCLOAK_TOKEN_URL',
  kind: 'url',
  required: true,
  property: 'tokenUrl',
  description: "the realm's token endpoint, https://{host}/realms/{realm}/protocol/openid-connect/token",
};

/**
 * The settings `getConfig()` reads for Keycloak: `KEYCLOAK_TOKEN_URL`, then core's
 * `clientCredentialsSettings`: `AGENT_CLIENT_ID`, `AGENT_CLIENT_SECRET` (not needed with
 * `private_key_jwt`), `DUAL_AUTH_MODE`, `AGENT_AUTH_METHOD`, and for `private_key_jwt` the key file
 * `AGENT_PRIVATE_KEY_PATH`, `AGENT_PRIVATE_KEY_ALG`, `AGENT_PRIVATE_KEY_ID` and
 * `AGENT_CERTIFICATE_THUMBPRINT`; plus core's `commonSettings` (`API_AUDIENCE`, `API_SCOPE`,
 * `APP_ID`, `APP_PRIVATE_KEY_PATH`, `APP_PUBLIC_KEY_PATH`, `AGENT_ENDPOINT`, `API_URL`).
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
