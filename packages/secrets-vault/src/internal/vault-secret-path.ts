const settingKey = /^[A-Za-z_][A-Za-z0-9_]*$/;
// One path segment: letters, digits, _ . - but never `.` or `..` alone.
const segment = '(?!\\.{1,2}(?:/|$))[A-Za-z0-9_.-]+';

/** A KV or auth mount path such as `secret` or `teams/finance/kv`. */
export const vaultMountPattern = new RegExp(`^${segment}(?:/${segment})*$`);

/** A secret path prefix: `dual-auth/`, `apps/billing/`, `dual-auth-` or empty. */
export const vaultPathPrefixPattern = new RegExp(`^(?:${segment}/)*(?:${segment})?$`);

/** A Vault Enterprise namespace path such as `admin/finance`. */
export const vaultNamespacePattern = new RegExp(`^${segment}(?:/${segment})*/?$`);

/**
 * The KV v2 API path of a setting: `AGENT_CLIENT_ID` → `secret/data/dual-auth/agent-client-id`
 * (what `vault kv get secret/dual-auth/agent-client-id` reads, and what a policy must allow).
 */
export function vaultSecretPath(mount: string, prefix: string, key: string): string {
  if (!settingKey.test(key)) throw new TypeError('vault secrets backend: a key must be a setting name');
  return `${mount}/data/${prefix}${key.toLowerCase().replaceAll('_', '-')}`;
}
