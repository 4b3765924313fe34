const settingKey = /^[A-Za-z_][A-Za-z0-9_]*$/;
const maximumNameLength = 127;

/** What may start a Key Vault secret name: letters, digits and hyphens, shorter than a name. */
export const azureSecretPrefixPattern = /^[0-9A-Za-z-]{0,100}$/;

/**
 * The Key Vault name of a setting: `AGENT_CLIENT_ID` → `dual-auth-agent-client-id`. Key Vault
 * names allow only letters, digits and hyphens, and compare case-insensitively, hence lower case.
 */
export function azureSecretName(prefix: string, key: string): string {
  if (!settingKey.test(key)) throw new TypeError('azure secrets backend: a key must be a setting name');
  const name = `${prefix}${key.toLowerCase().replaceAll('_', '-')}`;
  if (name.length > maximumNameLength)
    throw new TypeError(`azure secrets backend: secret names are limited to ${maximumNameLength} characters`);
  return name;
}
