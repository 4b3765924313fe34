import type { SettingDefinition, VendorDefinition } from '@dual-auth/core';
import { clientCredentialsSettings } from '@dual-auth/core/oauth';

const oktaSettings: readonly SettingDefinition[] = [
  {
    key: 'OKTA_TOKEN_URL',
    kind: 'url',
    required: true,
    property: 'tokenUrl',
    description:
      "the custom authorization server's token endpoint, https://{domain}/oauth2/{authServerId}/v1/token",
  },
  {
    key: 'API_SCOPE',
    kind: 'scopes',
    required: true,
    property: 'scope',
    description: 'the scopes to request (Okta requires at least one)',
  },
  {
    key: 'API_AUDIENCE',
    kind: 'text',
    required: true,
    property: 'audience',
    description:
      "the authorization server's audience (the API identifier): audience of the act assertions, and the `audience` of a token exchange",
  },
];

/**
 * The settings `getConfig()` reads for Okta: `OKTA_TOKEN_URL`, `API_SCOPE` and `API_AUDIENCE`
 * (required), then core's `clientCredentialsSettings`: `AGENT_CLIENT_ID`, `AGENT_CLIENT_SECRET`
 * (not needed with `private_key_jwt`), `DUAL_AUTH_MODE`, `AGENT_AUTH_METHOD`, and for
 * `private_key_jwt` the key file `AGENT_PRIVATE_KEY_PATH`, `AGENT_PRIVATE_KEY_ALG`,
 * `AGENT_PRIVATE_KEY_ID` and `AGENT_CERTIFICATE_THUMBPRINT`; plus core's `commonSettings`.
 *
 * @example
 * ```ts
 * const keys = vendorDefinition.settings.map((setting) => setting.key);
 * ```
 */
export const vendorDefinition: VendorDefinition = Object.freeze({
  vendor: 'okta',
  settings: Object.freeze([...oktaSettings, ...clientCredentialsSettings]),
});
