import type { SettingDefinition } from './config-definition.ts';

/**
 * The settings every adapter reads besides its token URL: `AGENT_CLIENT_ID`, `AGENT_CLIENT_SECRET`
 * (optional when a private key is given), `DUAL_AUTH_MODE`, `AGENT_AUTH_METHOD`, and the
 * `private_key_jwt` key file: `AGENT_PRIVATE_KEY_PATH`, `AGENT_PRIVATE_KEY_ALG`,
 * `AGENT_PRIVATE_KEY_ID`, `AGENT_CERTIFICATE_THUMBPRINT`.
 *
 * @example
 * ```ts
 * export const vendorDefinition: VendorDefinition = { vendor: 'okta', settings: [tokenUrl, ...clientCredentialsSettings] };
 * ```
 */
export const clientCredentialsSettings: readonly SettingDefinition[] = Object.freeze([
  {
    key: 'AGENT_CLIENT_ID',
    kind: 'text',
    required: true,
    property: 'clientId',
    description: "the agent's client id at the IdP",
  },
  {
    key: 'AGENT_CLIENT_SECRET',
    kind: 'secret',
    required: false,
    property: 'clientSecret',
    description: "the agent's client secret (not needed with private_key_jwt)",
  },
  {
    key: 'DUAL_AUTH_MODE',
    kind: 'text',
    required: false,
    description:
      "where the human travels: agbac (inside the token), hybrid (X-Act-Assertion) or exchange (RFC 8693 token exchange of the human's token, where the vendor supports it)",
  },
  {
    key: 'AGENT_AUTH_METHOD',
    kind: 'text',
    required: false,
    description:
      'client authentication: client_secret_basic, client_secret_post, client_secret_jwt or private_key_jwt',
  },
  {
    key: 'AGENT_PRIVATE_KEY_PATH',
    kind: 'path',
    required: false,
    description: "path to the agent's PKCS#8 PEM private key, for private_key_jwt",
  },
  {
    key: 'AGENT_PRIVATE_KEY_ALG',
    kind: 'text',
    required: false,
    description: 'algorithm of that key: RS256 (default), PS256, ES256 or EdDSA',
  },
  {
    key: 'AGENT_PRIVATE_KEY_ID',
    kind: 'text',
    required: false,
    description: 'key id registered at the IdP, sent as kid',
  },
  {
    key: 'AGENT_CERTIFICATE_THUMBPRINT',
    kind: 'text',
    required: false,
    description: "base64url SHA-256 thumbprint of the key's certificate (Entra ID x5t#S256)",
  },
] satisfies SettingDefinition[]);
