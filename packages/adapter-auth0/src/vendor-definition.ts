import type { SettingDefinition, VendorDefinition } from '@dual-auth/core';
import { clientCredentialsSettings } from '@dual-auth/core/oauth';

const auth0Settings: readonly SettingDefinition[] = [
  {
    key: 'AUTH0_TOKEN_URL',
    kind: 'url',
    required: true,
    property: 'tokenUrl',
    description: "the tenant's token endpoint, https://{tenant}.auth0.com/oauth/token",
  },
  {
    key: 'API_AUDIENCE',
    kind: 'text',
    required: true,
    property: 'audience',
    description: "the API's identifier in Auth0 (Applications > APIs)",
  },
  {
    key: 'AUTH0_ACT_CLAIM',
    kind: 'text',
    required: false,
    description: 'the namespaced claim the Action writes the human to (default https://dual-auth.dev/act)',
  },
];

/**
 * The settings `getConfig()` reads for Auth0: `AUTH0_TOKEN_URL`, `API_AUDIENCE` (required),
 * `AUTH0_ACT_CLAIM`, then core's `clientCredentialsSettings`: `AGENT_CLIENT_ID`,
 * `AGENT_CLIENT_SECRET` (not needed with `private_key_jwt`), `DUAL_AUTH_MODE`, `AGENT_AUTH_METHOD`,
 * and for `private_key_jwt` the key file `AGENT_PRIVATE_KEY_PATH`, `AGENT_PRIVATE_KEY_ALG`,
 * `AGENT_PRIVATE_KEY_ID` and `AGENT_CERTIFICATE_THUMBPRINT`; plus core's `commonSettings`.
 *
 * @example
 * ```ts
 * const keys = vendorDefinition.settings.map((setting) => setting.key);
 * ```
 */
export const vendorDefinition: VendorDefinition = Object.freeze({
  vendor: 'auth0',
  settings: Object.freeze([...auth0Settings, ...clientCredentialsSettings]),
});
